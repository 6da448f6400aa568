from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gorod.accounts.models import Address, District


class InterestsForm(forms.Form):
    home_district = forms.ModelChoiceField(
        label=_("Home district"), queryset=District.objects.all(), required=False, empty_label=_("Not set")
    )
    car_plate = forms.CharField(
        label=_("Car plate number"),
        max_length=16,
        required=False,
        help_text=_("For example А123ВС77. Road and transport news will come first."),
    )
    has_children = forms.BooleanField(label=_("I have children"), required=False)
    has_pets = forms.BooleanField(label=_("I have pets"), required=False)
    address = forms.ModelChoiceField(
        label=_("My building"), queryset=Address.objects.all(), required=False, empty_label=_("Not set")
    )


class CatalogueSearchForm(forms.Form):
    q = forms.CharField(label=_("Search services"), max_length=100, required=False)
