from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gorod.core.errors import DomainError
from gorod.problems import selectors
from gorod.problems.models import Rating


def _coordinate(limit: int, attribute: str) -> forms.DecimalField:
    """A hidden coordinate of the place, within ±limit degrees, set by the place picker through
    its ``attribute`` (accounts/place_pick.js)."""
    return forms.DecimalField(
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=-limit,
        max_value=limit,
        widget=forms.HiddenInput(attrs={attribute: ""}),
    )


class ReportForm(forms.Form):
    topic = forms.ChoiceField(label=_("Topic"))
    # The place is an address from the city's register (address_id, filled by the search) or a
    # point clicked on the map; the coordinates are hidden, set by either, never typed.
    address = forms.CharField(
        label=_("Address"),
        max_length=255,
        required=False,
        help_text=_("Start typing the street and house number, then choose the address."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    # the data-place-* attributes are the shared place picker's (accounts/place_pick.js)
    address_id = forms.IntegerField(
        required=False, min_value=1, widget=forms.HiddenInput(attrs={"data-place-address-id": ""})
    )
    latitude = _coordinate(90, "data-place-lat")
    longitude = _coordinate(180, "data-place-lon")
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


# What each score of an answer means, so that "3" reads the same to every resident; the figure
# stays first so the scale is still visible at a glance.
SCORE_MEANINGS = {
    5: pgettext_lazy("answer score", "solved perfectly"),
    4: pgettext_lazy("answer score", "solved well"),
    3: pgettext_lazy("answer score", "partly solved"),
    2: pgettext_lazy("answer score", "hardly solved"),
    1: pgettext_lazy("answer score", "not solved at all"),
}


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Your score"),
        coerce=int,
        choices=[(n, format_lazy("{} — {}", n, meaning)) for n, meaning in SCORE_MEANINGS.items()],
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
    if refusal.field in {"location", "latitude", "longitude", "building"}:
        field = "address"
    form.add_error(field, refusal.text)
