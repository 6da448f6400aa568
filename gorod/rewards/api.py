"""Million Prizes API: catalogue, orders, pickup desk, partner settlement, charity."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest
from ninja import Path, Query, Router, Schema, Status
from ninja.decorators import decorate_view
from pydantic import Field

from gorod.accounts.edge import resident_of
from gorod.accounts.models import Resident
from gorod.core.api_fields import QueryBool, QueryDate
from gorod.core.cache.public_cache import public_cache
from gorod.core.errors import InvalidInput
from gorod.core.time import city_midnight
from gorod.rewards import pickup, rules, selectors, services, services_charity
from gorod.rewards.models import CharityFund, Donation, Order, OrderStatus, Reward, RewardKind

API_PREFIX = "/rewards"
router = Router(tags=["rewards"])

MAX_ID = 2**62


class CatalogueQuery(Schema):
    q: str = Field("", max_length=100)
    category: str = Field("", max_length=40)
    kind: RewardKind | None = None
    district: int | None = Field(None, ge=1, le=MAX_ID)
    price_min: int | None = Field(None, ge=0, le=10**9)
    price_max: int | None = Field(None, ge=0, le=10**9)
    affordable: QueryBool = False
    page: int = Field(1, ge=1, le=100_000)


class RewardOut(Schema):
    id: int
    title: str
    kind: str
    partner: str
    category: str | None
    price: int
    stock: int | None
    stock_scope: str
    limit_per_resident: int | None
    limit_period: str
    min_level: str
    available_from: dt.datetime | None
    available_until: dt.datetime | None
    description: str
    terms: str
    event_starts_at: dt.datetime | None
    event_venue: str
    fund_id: int | None


class PickupPointOut(Schema):
    id: int
    name: str
    address: str
    latitude: float
    longitude: float
    opening_hours: str
    stock: int | None


class RewardDetailOut(RewardOut):
    pickup_points: list[PickupPointOut]


class RewardPage(Schema):
    items: list[RewardOut]
    page: int
    pages: int
    count: int


class OrderIn(Schema):
    pickup_point_id: int | None = Field(None, ge=1, le=MAX_ID)


class OrderOut(Schema):
    id: int
    code: str
    reward_id: int
    reward: str
    kind: str
    partner: str
    price: int
    status: str
    created_at: dt.datetime
    pickup_until: dt.datetime | None
    completed_at: dt.datetime | None
    pickup_point_id: int | None
    pickup_code: str | None = Field(None, description="Signed code to show at the pickup point (QR content)")
    promo_code: str | None
    ticket_number: str | None
    receipt_number: str | None


class OrderPage(Schema):
    items: list[OrderOut]
    page: int
    pages: int


class RewardPageQuery(Schema):
    page: int = Field(1, ge=1, le=100_000)


class PartnerOrdersQuery(RewardPageQuery):
    status: OrderStatus | None = None


class DeskCodeIn(Schema):
    code: str = Field(..., min_length=1, max_length=64)


class HandOverIn(DeskCodeIn):
    pickup_point_id: int | None = Field(None, ge=1, le=MAX_ID)


class DeskOrderOut(Schema):
    id: int
    code: str
    reward: str
    price: int
    status: str
    resident_name: str
    pickup_point_id: int | None
    pickup_until: dt.datetime | None
    completed_at: dt.datetime | None


class PartnerOrderPage(Schema):
    items: list[DeskOrderOut]
    page: int
    pages: int


class SettlementQuery(Schema):
    start: QueryDate
    end: QueryDate


class SettlementRowOut(Schema):
    code: str
    completed_at: dt.datetime
    reward: str
    kind: str
    points: int
    pickup_point: str


class SettlementOut(Schema):
    partner: str
    start: dt.date
    end: dt.date
    total: int
    rows: list[SettlementRowOut]


class FundOut(Schema):
    id: int
    name: str
    description: str
    outcome: str
    verification: str
    min_donation: int
    max_donation: int | None
    total_points: int
    donation_count: int


class DonationIn(Schema):
    amount: int = Field(..., ge=1, le=10**9, description="points, a JSON integer")


class DonationOut(Schema):
    receipt_number: str
    fund_id: int
    fund: str
    amount: int
    transfer_id: int
    created_at: dt.datetime


def _reward_out(reward: Reward) -> dict[str, Any]:
    return {
        "id": reward.pk,
        "title": reward.title,
        "kind": reward.kind,
        "partner": reward.partner.name,
        "category": reward.category.name if reward.category else None,
        "price": reward.price,
        "stock": reward.stock,
        "stock_scope": reward.stock_scope,
        "limit_per_resident": reward.limit_per_resident,
        "limit_period": reward.limit_period,
        "min_level": reward.min_level,
        "available_from": reward.available_from,
        "available_until": reward.available_until,
        "description": reward.description,
        "terms": reward.terms,
        "event_starts_at": reward.event_starts_at,
        "event_venue": reward.event_venue,
        "fund_id": reward.fund_id,
    }


def _order_out(order: Order) -> OrderOut:
    promo = getattr(order, "promo_code", None)
    donation = getattr(order, "donation", None)
    return OrderOut(
        id=order.pk,
        code=order.code,
        reward_id=order.reward_id,
        reward=order.reward.title,
        kind=order.reward.kind,
        partner=order.partner.name,
        price=order.price,
        status=order.status,
        created_at=order.created_at,
        pickup_until=order.pickup_until,
        completed_at=order.completed_at,
        pickup_point_id=order.pickup_point_id,
        pickup_code=pickup.sign(order.code) if order.status == OrderStatus.RESERVED else None,
        promo_code=promo.code if promo else None,
        ticket_number=order.ticket_number or None,
        receipt_number=donation.receipt_number if donation else None,
    )


def _desk_out(order: Order) -> DeskOrderOut:
    resident = order.resident
    return DeskOrderOut(
        id=order.pk,
        code=order.code,
        reward=order.reward.title,
        price=order.price,
        status=order.status,
        resident_name=f"{resident.first_name or resident.username} {resident.last_name[:1]}".strip(),
        pickup_point_id=order.pickup_point_id,
        pickup_until=order.pickup_until,
        completed_at=order.completed_at,
    )


def _fund_out(fund: CharityFund) -> FundOut:
    return FundOut(
        id=fund.pk,
        name=fund.name,
        description=fund.description,
        outcome=fund.outcome,
        verification=fund.verification,
        min_donation=fund.min_donation,
        max_donation=fund.max_donation,
        total_points=getattr(fund, "total_points", None) or 0,
        donation_count=getattr(fund, "donation_count", 0),
    )


def _donation_out(donation: Donation) -> DonationOut:
    return DonationOut(
        receipt_number=donation.receipt_number,
        fund_id=donation.fund_id,
        fund=donation.fund.name,
        amount=donation.amount,
        transfer_id=donation.transfer_id,
        created_at=donation.created_at,
    )


@router.get("/catalogue", response=RewardPage, auth=None, summary="Rewards on offer, filtered")
@decorate_view(public_cache)
def list_rewards(request: HttpRequest, query: Query[CatalogueQuery]) -> RewardPage:
    filters = selectors.CatalogueFilters(
        q=query.q.strip(),
        category=query.category,
        kind=query.kind.value if query.kind else "",
        district=query.district,
        price_min=query.price_min,
        price_max=query.price_max,
        affordable=query.affordable,
    )
    page = selectors.catalogue_page(filters, query.page, resident=request.user)
    return RewardPage(
        items=[RewardOut(**_reward_out(r)) for r in page.object_list],
        page=page.number,
        pages=page.paginator.num_pages,
        count=page.paginator.count,
    )


@router.get("/pickup-points", response=dict, auth=None, summary="Pickup points as GeoJSON")
def list_pickup_points(request: HttpRequest) -> dict[str, Any]:
    return selectors.pickup_points_geojson()


@router.get("/catalogue/{reward_id}", response=RewardDetailOut, auth=None, summary="One reward")
def get_reward(request: HttpRequest, reward_id: int = Path(..., ge=1, le=MAX_ID)) -> RewardDetailOut:
    reward = selectors.reward_detail(reward_id)
    points = [
        PickupPointOut(
            id=p.pickup_point_id,
            name=p.pickup_point.name,
            address=p.pickup_point.address,
            latitude=float(p.pickup_point.latitude),
            longitude=float(p.pickup_point.longitude),
            opening_hours=p.pickup_point.opening_hours,
            stock=p.stock if reward.stock_scope == "pickup_point" else None,
        )
        for p in (selectors.reward_placements(reward) if reward.kind == RewardKind.ITEM else [])
    ]
    return RewardDetailOut(**_reward_out(reward), pickup_points=points)


@router.post("/catalogue/{reward_id}/orders", response={201: OrderOut}, summary="Order a reward")
def post_order(
    request: HttpRequest, body: OrderIn, reward_id: int = Path(..., ge=1, le=MAX_ID)
) -> Status[OrderOut]:
    resident: Resident = resident_of(request)
    order = services.order_place(resident=resident, reward_id=reward_id, pickup_point_id=body.pickup_point_id)
    return Status(201, _order_out(selectors.resident_order(resident, order.pk)))


@router.get("/orders", response=OrderPage, summary="My orders, newest first")
def list_orders(request: HttpRequest, query: Query[RewardPageQuery]) -> OrderPage:
    resident: Resident = resident_of(request)
    paginator = Paginator(selectors.resident_orders(resident), 25)
    page = paginator.get_page(query.page)
    return OrderPage(
        items=[_order_out(o) for o in page.object_list], page=page.number, pages=paginator.num_pages
    )


@router.get("/orders/{order_id}", response=OrderOut, summary="One of my orders")
def get_order(request: HttpRequest, order_id: int = Path(..., ge=1, le=MAX_ID)) -> OrderOut:
    return _order_out(selectors.resident_order(resident_of(request), order_id))


@router.post("/orders/{order_id}/cancel", response=OrderOut, summary="Cancel an order waiting for pickup")
def cancel_order(request: HttpRequest, order_id: int = Path(..., ge=1, le=MAX_ID)) -> OrderOut:
    resident: Resident = resident_of(request)
    services.order_cancel(resident=resident, order_id=order_id)
    return _order_out(selectors.resident_order(resident, order_id))


@router.post("/desk/lookup", response=DeskOrderOut, summary="Partner staff: the order behind a pickup code")
def desk_lookup(request: HttpRequest, body: DeskCodeIn) -> DeskOrderOut:
    return _desk_out(selectors.order_for_desk(staff=resident_of(request), signed_code=body.code))


@router.post("/desk/hand-over", response=DeskOrderOut, summary="Partner staff: hand an order over")
def desk_hand_over(request: HttpRequest, body: HandOverIn) -> DeskOrderOut:
    order = services.order_hand_over(
        staff=resident_of(request),
        signed_code=body.code,
        pickup_point_id=body.pickup_point_id,
    )
    return _desk_out(order)


@router.get("/partner/orders", response=PartnerOrderPage, summary="Partner staff: the partner's orders")
def partner_orders(request: HttpRequest, query: Query[PartnerOrdersQuery]) -> PartnerOrderPage:
    partner = selectors.staff_partner(request.user)
    orders = selectors.partner_orders(partner, status=query.status.value if query.status else "")
    paginator = Paginator(orders, 50)
    page = paginator.get_page(query.page)
    return PartnerOrderPage(
        items=[_desk_out(o) for o in page.object_list], page=page.number, pages=paginator.num_pages
    )


@router.get(
    "/partner/settlement", response=SettlementOut, summary="Partner staff: points redeemed in a period"
)
def partner_settlement(request: HttpRequest, query: Query[SettlementQuery]) -> SettlementOut:
    partner = selectors.staff_partner(request.user)
    if not rules.settlement_period_ok(start=query.start, end=query.end):
        raise InvalidInput(field="end")
    rows, total = selectors.settlement(
        partner, start=city_midnight(query.start), end=city_midnight(query.end + dt.timedelta(days=1))
    )
    return SettlementOut(
        partner=partner.name,
        start=query.start,
        end=query.end,
        total=total,
        rows=[SettlementRowOut(**row.__dict__) for row in rows],
    )


@router.get("/funds", response=list[FundOut], auth=None, summary="Charity funds with public totals")
def list_funds(request: HttpRequest) -> list[FundOut]:
    return [_fund_out(f) for f in selectors.funds_with_totals()]


@router.post("/funds/{fund_id}/donations", response={201: DonationOut}, summary="Donate points to a fund")
def post_donation(
    request: HttpRequest, body: DonationIn, fund_id: int = Path(..., ge=1, le=MAX_ID)
) -> Status[DonationOut]:
    resident: Resident = resident_of(request)
    donation = services_charity.donation_make(resident=resident, fund_id=fund_id, amount=body.amount)
    return Status(201, _donation_out(donation))


@router.get("/donations/{receipt_number}", response=DonationOut, summary="One of my donation receipts")
def get_donation(request: HttpRequest, receipt_number: str = Path(..., max_length=24)) -> DonationOut:
    return _donation_out(selectors.donation_receipt(resident_of(request), receipt_number))
