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
    file = forms.FileField(label=_("CSV or XLSX file of premises and owners"))


class PaymentForm(forms.Form):
    amount_rubles = forms.DecimalField(
        label=_("Amount, roubles (empty: everything due)"),
        min_value=0,
        decimal_places=2,
        max_digits=12,
        required=False,
    )


class SurveyForm(forms.Form):
    building = forms.ModelChoiceField(label=_("Building"), queryset=Building.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    question = forms.CharField(label=_("Question"), max_length=500)
    options = forms.CharField(
        label=_("Answers, one per line"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )
    days = forms.IntegerField(label=_("Open for, days"), min_value=1, max_value=60, initial=7)

    def option_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["options"].splitlines() if line.strip()]


class AnnouncementForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    body = forms.CharField(label=_("Text"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5}))


class OfficialAnnouncementForm(AnnouncementForm):
    emergency = forms.BooleanField(label=_("Emergency: pin on top and notify every resident"), required=False)


class InvitationCreateForm(forms.Form):
    building = forms.ModelChoiceField(label=_("Building"), queryset=Building.objects.none())


class InvitationAcceptForm(forms.Form):
    number = forms.CharField(label=_("Flat or premise number"), max_length=20)
    role = forms.ChoiceField(label=_("I am"), choices=LinkRole.choices)
    document_number = forms.CharField(label=_("Ownership document number"), max_length=80, required=False)
