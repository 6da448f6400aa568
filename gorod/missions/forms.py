from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class EvidenceForm(forms.Form):
    resident = forms.CharField(label=_("Resident (mission code or user name)"), max_length=150)
    key = forms.CharField(label=_("Evidence reference"), max_length=64)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=1_000_000, initial=1)


class CodeConfirmForm(forms.Form):
    code = forms.CharField(label=_("Resident's mission code"), max_length=12)
    key = forms.CharField(label=_("Evidence reference"), max_length=64)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=1_000_000, initial=1)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file (resident, evidence, quantity)"))

    MAX_BYTES = 2 * 1024 * 1024

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("The file must be UTF-8 text.")) from None
