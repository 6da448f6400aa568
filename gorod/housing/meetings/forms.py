"""Forms for calling an owners' meeting and for the ballot's confirm step."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gorod.housing.meetings.rules import LEGAL_BASIS
from gorod.housing.models import Building, MeetingForm, Threshold

AGENDA_ROWS = 8


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the service checks their kinds and sizes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def threshold_choices() -> list[tuple[str, str]]:
    return [(value, f"{label}. {LEGAL_BASIS[value]}") for value, label in Threshold.choices]


class MeetingCallForm(forms.Form):
    building = forms.ModelChoiceField(label=_("Building"), queryset=Building.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    form = forms.ChoiceField(label=_("Form of the meeting"), choices=MeetingForm.choices)
    starts_at = forms.DateTimeField(
        label=_("Voting starts (at least 10 days after the notice, which is published now)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    ends_at = forms.DateTimeField(
        label=_("Voting ends (7 to 60 days after it starts)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    materials = MultipleFileField(
        label=_("Materials (PDF, Word, Excel, JPEG or PNG, up to 20 MB each)"),
    )

    def __init__(self, *args: Any, buildings: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["building"].queryset = buildings  # type: ignore[attr-defined]
        for n in range(1, AGENDA_ROWS + 1):
            self.fields[f"subject_{n}"] = forms.CharField(
                label=_("Question %(n)s") % {"n": n}, max_length=2000, required=n == 1
            )
            self.fields[f"threshold_{n}"] = forms.ChoiceField(
                label=_("Decided by (question %(n)s)") % {"n": n},
                choices=threshold_choices(),
                initial=Threshold.PARTICIPANTS,
                required=False,
            )

    def agenda(self) -> list[tuple[str, str]]:
        rows = []
        for n in range(1, AGENDA_ROWS + 1):
            subject = (self.cleaned_data.get(f"subject_{n}") or "").strip()
            if subject:
                rows.append((subject, self.cleaned_data.get(f"threshold_{n}") or Threshold.PARTICIPANTS))
        return rows

    def agenda_rows(self) -> list[tuple[Any, Any]]:
        return [(self[f"subject_{n}"], self[f"threshold_{n}"]) for n in range(1, AGENDA_ROWS + 1)]


SCAN_HELP = _("PDF, JPEG or PNG, up to 10 MB.")


MAX_SCAN = 10 * 1024 * 1024


def _small_scan(upload: Any) -> Any:
    if upload is not None and upload.size > MAX_SCAN:
        raise forms.ValidationError(_("The file is larger than 10 MB."))
    return upload


class ProxyForm(forms.Form):
    proxy = forms.CharField(label=_("Proxy's login, e-mail or phone"), max_length=150)
    power_of_attorney = forms.CharField(label=_("Power of attorney number and date"), max_length=120)
    document = forms.FileField(label=_("Scan of the power of attorney"), help_text=SCAN_HELP)

    def clean_document(self) -> Any:
        return _small_scan(self.cleaned_data.get("document"))


class PaperBallotForm(forms.Form):
    scan = forms.FileField(label=_("Scan of the signed paper ballot"), help_text=SCAN_HELP)

    def __init__(self, *args: Any, questions: list[Any], **kwargs: Any) -> None:
        from gorod.housing.models import Choice

        super().__init__(*args, **kwargs)
        for question in questions:
            self.fields[f"question_{question.pk}"] = forms.ChoiceField(
                label=f"{question.position}. {question.subject}",
                choices=Choice.choices,
                widget=forms.RadioSelect,
            )

    def clean_scan(self) -> Any:
        return _small_scan(self.cleaned_data.get("scan"))
