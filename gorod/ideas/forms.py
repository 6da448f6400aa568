from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class IdeaForm(forms.Form):
    title = forms.CharField(label=_("Your idea in a few words"), max_length=200)
    text = forms.CharField(label=_("Describe it"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5}))


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("accepted", _("Accept")),
            ("merged", _("Merge with another idea")),
            ("declined", pgettext_lazy("idea review", "Decline")),
        ],
    )
    merged_into = forms.IntegerField(label=_("Merge into idea number"), required=False, min_value=1)
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    make_decision = forms.BooleanField(label=_("Put an accepted idea on the decisions map"), required=False)
