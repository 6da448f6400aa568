from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gorod.accounts.models import District
from gorod.pets.models import Animal, NoticeKind


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultiplePhotoInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class NoticeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Lost or found"), choices=NoticeKind.choices)
    animal = forms.ChoiceField(label=_("Animal"), choices=Animal.choices)
    description = forms.CharField(
        label=_("Description"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Breed, colour, collar, name it answers to. Phone numbers and e-mails are hidden."),
    )
    latitude = forms.DecimalField(label=_("Latitude"), max_digits=9, decimal_places=6)
    longitude = forms.DecimalField(label=_("Longitude"), max_digits=9, decimal_places=6)
    seen_at = forms.DateTimeField(
        label=_("When"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    photos = MultiplePhotoField(label=_("Photos (up to 3)"), required=False)


class SearchForm(forms.Form):
    kind = forms.ChoiceField(label=_("Notice"), choices=[("", _("Any")), *NoticeKind.choices], required=False)
    animal = forms.ChoiceField(label=_("Animal"), choices=[("", _("Any")), *Animal.choices], required=False)
    district = forms.ModelChoiceField(
        label=_("District"), queryset=District.objects.all(), required=False, empty_label=_("Any")
    )
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "animal": data["animal"],
            "district_id": data["district"].pk if data["district"] else None,
            "since": data["since"],
            "until": data["until"],
        }


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Your contacts stay hidden; arrange the meeting here."),
    )
    recipient = forms.IntegerField(required=False, widget=forms.HiddenInput)


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason for rejection"), max_length=255)
