"""Resident pages: catalogue, reward, orders, map, charity funds and receipts."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gorod.accounts.edge import resident_of
from gorod.core.cache.public_cache import public_cache
from gorod.core.errors import DomainError
from gorod.points import selectors as points_selectors
from gorod.rewards import permissions, pickup, selectors, services, services_charity
from gorod.rewards.forms import CatalogueForm, DonationForm, OrderForm
from gorod.rewards.models import OrderStatus, RewardKind, StockScope


def _refused(request: HttpRequest, error: DomainError) -> HttpResponse:
    return render(request, "rewards/refused.html", {"error": error}, status=error.status)


@public_cache
def catalogue(request: HttpRequest) -> HttpResponse:
    form = CatalogueForm(request.GET or None)
    filters, number = form.filters(), request.GET.get("page")
    query = request.GET.copy()
    query.pop("page", None)
    context: dict[str, Any] = {
        "form": form,
        # Read only if the page's results are rendered, not when their kept HTML is served
        # ({% shared %} in _results.html): the kept HTML is then never older than one interval.
        "page": SimpleLazyObject(
            lambda: selectors.catalogue_page_read(filters, number, resident=request.user)
        ),
        "query": query.urlencode(),
        # results filtered by the resident's own balance are theirs alone: nothing kept
        "results_key": None if filters.affordable else f"{query.urlencode()}|{number or ''}",
    }
    if request.user.is_authenticated:
        context["balance"] = points_selectors.balance(resident_of(request))
    template = "rewards/_results.html" if getattr(request, "htmx", False) else "rewards/catalogue.html"
    return render(request, template, context)


def reward_detail(request: HttpRequest, reward_id: int) -> HttpResponse:
    try:
        reward = selectors.reward_detail(reward_id)
    except DomainError as error:
        return _refused(request, error)
    placements = selectors.reward_placements(reward) if reward.kind == RewardKind.ITEM else []
    required = reward.stock_scope == StockScope.PICKUP_POINT and reward.kind == RewardKind.ITEM
    form = OrderForm(
        request.POST if request.method == "POST" else None, placements=placements, required=required
    )
    status = 200
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{_sign_in_url()}?next={request.path}")
        if form.is_valid():
            point = form.cleaned_data["pickup_point"]
            try:
                order = services.order_place(
                    resident=resident_of(request),
                    reward_id=reward.pk,
                    pickup_point_id=point.pk if point else None,
                )
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.text)
                status = error.status
            else:
                messages.success(request, _("Your order is placed."))
                return redirect("rewards:order", order_id=order.pk)
        else:
            status = 422
    context: dict[str, Any] = {"reward": reward, "placements": placements, "form": form}
    if request.user.is_authenticated:
        context["balance"] = points_selectors.balance(resident_of(request))
    return render(request, "rewards/reward_detail.html", context, status=status)


def _sign_in_url() -> str:
    from django.urls import reverse

    return reverse("accounts:sign_in")


@login_required
def my_orders(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.resident_orders(resident_of(request)), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "rewards/my_orders.html",
        {
            "page": page,
            "donations": selectors.resident_donations(resident_of(request))[:10],
            "is_partner_staff": permissions.is_partner_staff(request.user),
        },
    )


@login_required
def order_detail(request: HttpRequest, order_id: int) -> HttpResponse:
    try:
        order = selectors.resident_order(resident_of(request), order_id)
    except DomainError as error:
        return _refused(request, error)
    context: dict[str, Any] = {"order": order}
    if order.status == OrderStatus.RESERVED:
        signed = pickup.sign(order.code)
        context.update(
            pickup_code=signed, qr_svg=pickup.qr_svg(signed), pickup_check=pickup.check(order.code)
        )
    return render(request, "rewards/order_detail.html", context)


@login_required
@require_POST
def order_cancel(request: HttpRequest, order_id: int) -> HttpResponse:
    try:
        services.order_cancel(resident=resident_of(request), order_id=order_id)
    except DomainError as error:
        messages.error(request, error.text)
    else:
        messages.success(request, _("The order is cancelled and your points are available again."))
    return redirect("rewards:order", order_id=order_id)


def pickup_map(request: HttpRequest) -> HttpResponse:
    return render(request, "rewards/map.html", {"points": selectors.pickup_points_geojson()["features"]})


def pickup_points_geojson(request: HttpRequest) -> JsonResponse:
    raw = request.GET.get("reward", "")
    return JsonResponse(selectors.pickup_points_geojson(reward_id=int(raw) if raw.isdigit() else None))


def funds(request: HttpRequest) -> HttpResponse:
    return render(request, "rewards/funds.html", {"funds": selectors.funds_with_totals()})


def fund_detail(request: HttpRequest, fund_id: int) -> HttpResponse:
    try:
        fund = selectors.fund_detail(fund_id)
    except DomainError as error:
        return _refused(request, error)
    form = DonationForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{_sign_in_url()}?next={request.path}")
        if form.is_valid():
            try:
                donation = services_charity.donation_make(
                    resident=resident_of(request),
                    fund_id=fund.pk,
                    amount=form.cleaned_data["amount"],
                )
            except DomainError as error:
                form.add_error("amount" if error.field in (None, "amount") else None, error.text)
                status = error.status
            else:
                messages.success(request, _("Thank you! Your donation is made."))
                return redirect("rewards:receipt", receipt_number=donation.receipt_number)
        else:
            status = 422
    context: dict[str, Any] = {"fund": fund, "form": form}
    if request.user.is_authenticated:
        context["balance"] = points_selectors.balance(resident_of(request))
    return render(request, "rewards/fund_detail.html", context, status=status)


@login_required
def receipt(request: HttpRequest, receipt_number: str) -> HttpResponse:
    try:
        donation = selectors.donation_receipt(resident_of(request), receipt_number)
    except DomainError as error:
        return _refused(request, error)
    return render(request, "rewards/receipt.html", {"donation": donation})
