from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gorod.housing.models import Building, LinkRole, Premise


class LinkRequestForm(forms.Form):
    building = forms.ModelChoiceField(label=_("Building"), queryset=Building.objects.order_by("address"))
    number = forms.CharField(label=_("Flat or premise number"), max_length=20)
    role = forms.ChoiceField(label=_("I am"), choices=LinkRole.choices)
    document_number = forms.CharField(label=_("Ownership document number"), max_length=80, required=False)


class RegisterImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file of premises and owners"))


class PaymentForm(forms.Form):
    amount_rubles = forms.DecimalField(
        label=_("Amount, roubles (empty: everything due)"),
        min_value=0,
        decimal_places=2,
        max_digits=12,
        required=False,
    )


class SurveyForm(forms.Form):
    building = forms.ModelChoiceField(label=_("Building"), queryset=Building.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    question = forms.CharField(label=_("Question"), max_length=500)
    options = forms.CharField(
        label=_("Answers, one per line"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )
    days = forms.IntegerField(label=_("Open for, days"), min_value=1, max_value=60, initial=7)

    def option_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["options"].splitlines() if line.strip()]


class AnnouncementForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    body = forms.CharField(label=_("Text"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5}))


class OfficialAnnouncementForm(AnnouncementForm):
    emergency = forms.BooleanField(label=_("Emergency: pin on top and notify every resident"), required=False)


class InvitationCreateForm(forms.Form):
    building = forms.ModelChoiceField(label=_("Building"), queryset=Building.objects.none())


class InvitationAcceptForm(forms.Form):
    number = forms.CharField(label=_("Flat or premise number"), max_length=20)
    role = forms.ChoiceField(label=_("I am"), choices=LinkRole.choices)
    document_number = forms.CharField(label=_("Ownership document number"), max_length=80, required=False)


class BillImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file of bill lines"))


def _line_kopecks(text: str) -> int | None:
    """A line's amount in kopecks: roubles above zero with at most two decimals and no more than the
    import's MAX_AMOUNT; None for anything else (NaN, infinity, an exponent past that, a typo)."""
    from gorod.housing.billing.services_import import MAX_AMOUNT

    try:
        roubles = Decimal(text.strip().replace(",", "."))
        if not roubles.is_finite() or not 0 < roubles <= Decimal(MAX_AMOUNT) / 100:
            return None
        if roubles != roubles.quantize(Decimal("0.01")):
            return None
    except InvalidOperation:
        return None
    return int(roubles * 100)


class BillCreateForm(forms.Form):
    premise = forms.ModelChoiceField(label=_("Premise"), queryset=Premise.objects.none())
    period = forms.CharField(
        label=_("Month"),
        max_length=7,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-11"}),
    )
    payer_code = forms.CharField(label=_("Payer code"), max_length=32)
    lines = forms.CharField(
        label=_("Lines: service; amount in roubles, one per line"),
        widget=forms.Textarea(attrs={"rows": 5, "placeholder": "Maintenance; 3123.45\nHeating; 1800"}),
        max_length=4000,
    )

    def __init__(self, *args: Any, building: Building, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["premise"].queryset = Premise.objects.filter(building=building).order_by("number")  # type: ignore[attr-defined]

    def clean_period(self) -> dt.date:
        from gorod.housing.billing.services_import import parse_period

        period = parse_period(self.cleaned_data["period"])
        if period is None:
            raise forms.ValidationError(_("The period must be written as YYYY-MM."))
        return period

    def clean_lines(self) -> list[tuple[str, int]]:
        lines: list[tuple[str, int]] = []
        for text in self.cleaned_data["lines"].splitlines():
            if not text.strip():
                continue
            service, _sep, amount = text.rpartition(";")
            kopecks = _line_kopecks(amount)
            if not service.strip() or kopecks is None:
                raise forms.ValidationError(
                    _("Write each line as: service; amount in roubles with at most two decimals.")
                )
            lines.append((service.strip()[:120], kopecks))
        if not lines:
            raise forms.ValidationError(_("Give at least one line."))
        return lines


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
