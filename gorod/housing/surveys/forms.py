"""Forms of neighbour surveys: a resident or administrator starts a survey of a building."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gorod.housing.models import Building


class SurveyForm(forms.Form):
    building = forms.ModelChoiceField(label=_("Building"), queryset=Building.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    question = forms.CharField(label=_("Question"), max_length=300)  # the poll engine keeps 300
    options = forms.CharField(
        label=_("Answers, one per line"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )
    days = forms.IntegerField(label=_("Open for, days"), min_value=1, max_value=60, initial=7)

    def option_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["options"].splitlines() if line.strip()]
