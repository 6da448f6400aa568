from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gorod.core.errors import DomainError
from gorod.problems import selectors
from gorod.problems.models import Rating


class ReportForm(forms.Form):
    topic = forms.ChoiceField(label=_("Topic"))
    latitude = forms.DecimalField(label=_("Latitude"), max_digits=9, decimal_places=6)
    longitude = forms.DecimalField(label=_("Longitude"), max_digits=9, decimal_places=6)
    address = forms.CharField(label=_("Address or landmark"), max_length=255, required=False)
    text = forms.CharField(
        label=_("What is wrong?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("At least 20 characters. Do not write phone numbers or e-mails: they are hidden."),
    )
    join_instead = forms.BooleanField(
        label=_("I have seen the reports nearby and mine is a different problem"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: dict[str, list[tuple[str, str]]] = {}
        for topic in selectors.topics_in_season():
            label = f"{topic.name}{' *' if topic.photo_required else ''}"
            choices.setdefault(topic.group.name, []).append((topic.code, label))
        self.fields["topic"].choices = [("", "—"), *choices.items()]  # type: ignore[attr-defined]


class AnswerForm(forms.Form):
    text = forms.CharField(label=_("Answer to the resident"), widget=forms.Textarea(attrs={"rows": 5}))


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Your score"),
        coerce=int,
        choices=[(n, str(n)) for n in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    verdict = forms.ChoiceField(
        label=_("Is the problem solved?"),
        choices=Rating.Verdict.choices,
        required=False,
        widget=forms.RadioSelect,
    )


def show_refusal(form: forms.Form, refusal: DomainError) -> None:
    """Put a service's refusal next to its field, or above the form."""
    field = refusal.field if refusal.field in form.fields else None
    if refusal.field in {"location"}:
        field = "latitude"
    form.add_error(field, refusal.text)
