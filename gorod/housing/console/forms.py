"""Forms of the building administrator's console: the owners' register import."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class RegisterImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file of premises and owners"))


class ReadingsImportForm(forms.Form):
    period = forms.DateField(
        label=_("Month of the readings"),
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    file = forms.FileField(label=_("CSV or XLSX file of readings"))
