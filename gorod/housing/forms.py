from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gorod.housing.models import Building, LinkRole


class LinkRequestForm(forms.Form):
    building = forms.ModelChoiceField(label=_("Building"), queryset=Building.objects.order_by("address"))
    number = forms.CharField(label=_("Flat or premise number"), max_length=20)
    role = forms.ChoiceField(label=_("I am"), choices=LinkRole.choices)
    document_number = forms.CharField(label=_("Ownership document number"), max_length=80, required=False)


class RegisterImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file of premises and owners"))


class PaymentForm(forms.Form):
    amount_rubles = forms.DecimalField(
        label=_("Amount, roubles (empty: everything due)"),
        min_value=0,
        decimal_places=2,
        max_digits=12,
        required=False,
    )
