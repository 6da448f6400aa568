"""Forms of invitations: making an invitation link and accepting one."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gorod.housing.models import Building, LinkRole


class InvitationCreateForm(forms.Form):
    building = forms.ModelChoiceField(label=_("Building"), queryset=Building.objects.none())


class InvitationAcceptForm(forms.Form):
    number = forms.CharField(label=_("Flat or premise number"), max_length=20)
    role = forms.ChoiceField(label=_("I am"), choices=LinkRole.choices)
    document_number = forms.CharField(label=_("Ownership document number"), max_length=80, required=False)
