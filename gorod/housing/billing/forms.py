"""Forms of bills: paying a bill, and the administrator's bill entry and bill import."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gorod.housing.billing.rules import parse_period
from gorod.housing.models import Building, Premise


class PaymentForm(forms.Form):
    amount_rubles = forms.DecimalField(
        label=_("Amount, roubles (empty: everything due)"),
        min_value=0,
        decimal_places=2,
        max_digits=12,
        required=False,
    )


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
        # an example in the page's language: the English one on a Russian page read as a demand to
        # write the services in English
        widget=forms.Textarea(attrs={"rows": 5, "placeholder": _("Maintenance; 3123.45\nHeating; 1800")}),
        max_length=4000,
    )

    def __init__(self, *args: Any, building: Building, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["premise"].queryset = Premise.objects.filter(building=building).order_by("number")  # type: ignore[attr-defined]

    def clean_period(self) -> dt.date:
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
