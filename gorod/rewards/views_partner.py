"""Partner staff pages: the pickup desk, the partner's order history and settlement CSV."""

from __future__ import annotations

import csv
import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from gorod.accounts.edge import resident_of
from gorod.core.errors import DomainError
from gorod.core.time import city_midnight
from gorod.rewards import pickup, selectors, services
from gorod.rewards.forms import DeskCodeForm, HandOverForm, PartnerOrdersForm, SettlementForm
from gorod.rewards.models import Partner


def _partner_or_refusal(request: HttpRequest) -> Partner | HttpResponse:
    try:
        return selectors.staff_partner(request.user)
    except DomainError as error:
        return render(request, "rewards/refused.html", {"error": error}, status=error.status)


@login_required
def desk(request: HttpRequest) -> HttpResponse:
    """Scan or type a code, see the order, hand it over (posts the points to the partner)."""
    partner = _partner_or_refusal(request)
    if isinstance(partner, HttpResponse):
        return partner
    code_form = DeskCodeForm(request.POST if request.POST.get("action") == "lookup" else None)
    hand_over_form: HandOverForm | None = None
    order = None
    status = 200
    action = request.POST.get("action")
    by_number = False
    if request.method == "POST" and action == "lookup" and code_form.is_valid():
        typed = code_form.cleaned_data["code"]
        by_number = not pickup.looks_signed(typed)
        try:
            if by_number:
                order = selectors.order_for_desk_by_number(staff=resident_of(request), order_number=typed)
            else:
                order = selectors.order_for_desk(staff=resident_of(request), signed_code=typed)
        except DomainError as error:
            code_form.add_error("code", error.text)
            status = error.status
        else:
            hand_over_form = HandOverForm(
                initial={"code": code_form.cleaned_data["code"], "pickup_point": order.pickup_point_id},
                partner_id=partner.pk,
            )
    elif request.method == "POST" and action == "hand_over":
        form = HandOverForm(request.POST, partner_id=partner.pk)
        if form.is_valid():
            point = form.cleaned_data["pickup_point"]
            typed = form.cleaned_data["code"]
            by_number = not pickup.looks_signed(typed)
            try:
                order = services.order_hand_over(
                    staff=resident_of(request),
                    signed_code="" if by_number else typed,
                    order_number=typed if by_number else "",
                    check=form.cleaned_data["check"],
                    pickup_point_id=point.pk if point else None,
                )
            except DomainError as error:
                code_form = DeskCodeForm({"code": typed, "action": "lookup"})
                code_form.is_valid()
                code_form.add_error("code", error.text)
                status = error.status
            else:
                messages.success(request, _("Handed over: %(reward)s.") % {"reward": order.reward.title})
        else:
            status = 422
    elif request.method == "POST":
        status = 422
    return render(
        request,
        "rewards/desk.html",
        {
            "partner": partner,
            "code_form": code_form,
            "hand_over_form": hand_over_form,
            "order": order,
            "by_number": by_number,
        },
        status=status,
    )


@login_required
def partner_orders(request: HttpRequest) -> HttpResponse:
    partner = _partner_or_refusal(request)
    if isinstance(partner, HttpResponse):
        return partner
    form = PartnerOrdersForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    page = Paginator(selectors.partner_orders(partner, status=status), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "rewards/partner_orders.html",
        {"partner": partner, "form": form, "page": page, "settlement_form": SettlementForm()},
    )


@login_required
def settlement_csv(request: HttpRequest) -> HttpResponse:
    """Points redeemed per order for the partner in a period of city dates, as CSV."""
    partner = _partner_or_refusal(request)
    if isinstance(partner, HttpResponse):
        return partner
    form = SettlementForm(request.GET)
    if not form.is_valid():
        return render(
            request,
            "rewards/partner_orders.html",
            {"partner": partner, "form": PartnerOrdersForm(), "page": None, "settlement_form": form},
            status=422,
        )
    start: dt.date = form.cleaned_data["start"]
    end: dt.date = form.cleaned_data["end"]
    rows, total = selectors.settlement(
        partner, start=city_midnight(start), end=city_midnight(end + dt.timedelta(days=1))
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="settlement-{partner.pk}-{start}-{end}.csv"'
    writer = csv.writer(response)
    writer.writerow(["order", "completed_at", "reward", "kind", "pickup_point", "points"])
    for row in rows:
        writer.writerow(
            [
                row.code,
                row.completed_at.isoformat(),
                _safe(row.reward),
                row.kind,
                _safe(row.pickup_point),
                row.points,
            ]
        )
    writer.writerow(["total", "", "", "", "", total])
    return response


def _safe(value: Any) -> str:
    # Spreadsheet programs run cells starting with these as formulas: neutralise them.
    text = str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text
