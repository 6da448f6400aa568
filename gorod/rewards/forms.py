from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gorod.rewards import rules, selectors
from gorod.rewards.models import OrderStatus, PickupPoint, RewardKind
from gorod.rewards.selectors import CatalogueFilters


class CatalogueForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    category = forms.ChoiceField(label=_("Category"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any kind")), *RewardKind.choices]
    )
    # choices rather than a queryset: they are read once per process (selectors.district_choices)
    district = forms.TypedChoiceField(label=_("District"), required=False, coerce=int, empty_value=None)
    price_min = forms.IntegerField(label=_("Price from"), required=False, min_value=0, max_value=10**9)
    price_max = forms.IntegerField(label=_("Price up to"), required=False, min_value=0, max_value=10**9)
    affordable = forms.BooleanField(label=_("I can afford it"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [  # type: ignore[attr-defined]
            ("", _("All categories")),
            *selectors.category_choices(),
        ]
        self.fields["district"].choices = [("", _("Anywhere")), *selectors.district_choices()]  # type: ignore[attr-defined]

    def filters(self) -> CatalogueFilters:
        if not self.is_valid():
            return CatalogueFilters()
        data = self.cleaned_data
        return CatalogueFilters(
            q=data["q"].strip(),
            category=data["category"],
            kind=data["kind"],
            district=data["district"],
            price_min=data["price_min"],
            price_max=data["price_max"],
            affordable=data["affordable"],
        )


class OrderForm(forms.Form):
    pickup_point = forms.ModelChoiceField(
        label=_("Pickup point"),
        required=False,
        queryset=PickupPoint.objects.none(),
        empty_label=_("Any of the partner's points"),
    )

    def __init__(
        self, *args: Any, placements: list[Any] | None = None, required: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["pickup_point"]
        ids = [placement.pickup_point_id for placement in placements or []]
        field.queryset = PickupPoint.objects.filter(pk__in=ids).order_by("name")  # type: ignore[attr-defined]
        field.required = required
        if required:
            field.empty_label = None  # type: ignore[attr-defined]


class DonationForm(forms.Form):
    amount = forms.IntegerField(label=_("Points to give"), min_value=1, max_value=10**9)


class DeskCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Pickup code or order number"),
        max_length=64,
        help_text=_("Scan the resident's QR code, type the code printed under it, or type the order number."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "off", "spellcheck": "false"}),
    )


class HandOverForm(forms.Form):
    code = forms.CharField(max_length=64, widget=forms.HiddenInput)
    # Needed only when the order was found by its number (see gorod.rewards.pickup).
    check = forms.CharField(
        label=_("Check from the resident's order page"),
        max_length=16,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    pickup_point = forms.ModelChoiceField(
        label=_("At pickup point"), queryset=PickupPoint.objects.none(), required=False
    )

    def __init__(self, *args: Any, partner_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pickup_point"].queryset = PickupPoint.objects.filter(  # type: ignore[attr-defined]
            partner_id=partner_id, is_active=True
        ).order_by("name")


class PartnerOrdersForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *OrderStatus.choices]
    )


class SettlementForm(forms.Form):
    start = forms.DateField(label=_("From (inclusive)"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To (inclusive)"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if isinstance(start, dt.date) and isinstance(end, dt.date):
            if end < start:
                self.add_error("end", _("The end date is before the start date."))
            elif not rules.settlement_period_ok(start=start, end=end):
                self.add_error("end", _("A settlement covers at most one year, between 2000 and 2100."))
        return data
