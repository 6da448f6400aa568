"""Reads for the shop, the desk, settlement and charity: bounded queries, no N+1."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from gorod.accounts.models import District, Resident
from gorod.core.cache import shared_cache
from gorod.points import selectors as points_selectors
from gorod.rewards import permissions, pickup
from gorod.rewards.errors import (
    DonationNotFound,
    FundNotFound,
    NotPartnerStaff,
    OrderNotFound,
    PickupCodeInvalid,
    PickupCodeOtherPartner,
    RewardNotFound,
)
from gorod.rewards.models import (
    Category,
    CharityFund,
    Donation,
    Order,
    OrderStatus,
    Partner,
    PartnerStaff,
    PickupPoint,
    Reward,
    RewardKind,
)


@dataclass(frozen=True)
class CatalogueFilters:
    q: str = ""
    category: str = ""
    kind: str = ""
    district: int | None = None
    price_min: int | None = None
    price_max: int | None = None
    affordable: bool = False


def on_offer(now: dt.datetime | None = None) -> QuerySet[Reward]:
    now = now or timezone.now()
    return Reward.objects.filter(is_published=True, partner__is_active=True).filter(
        Q(available_from__isnull=True) | Q(available_from__lte=now),
        Q(available_until__isnull=True) | Q(available_until__gt=now),
    )


def catalogue(filters: CatalogueFilters, *, resident: Any = None) -> QuerySet[Reward]:
    """Rewards on offer matching the filters; ``affordable`` needs a signed-in resident."""
    rewards = on_offer().select_related("partner", "category", "fund")
    if filters.q:
        rewards = rewards.filter(
            Q(title__icontains=filters.q)
            | Q(description__icontains=filters.q)
            | Q(partner__name__icontains=filters.q)
        )
    if filters.category:
        rewards = rewards.filter(category__slug=filters.category)
    if filters.kind:
        rewards = rewards.filter(kind=filters.kind)
    if filters.district is not None:
        # Items at a pickup point in the district; codes, tickets and charity are not tied to a place.
        rewards = rewards.filter(
            Q(pickup_points__district_id=filters.district, pickup_points__is_active=True)
            | ~Q(kind=RewardKind.ITEM)
        ).distinct()
    if filters.price_min is not None:
        rewards = rewards.filter(price__gte=filters.price_min)
    if filters.price_max is not None:
        rewards = rewards.filter(price__lte=filters.price_max)
    if filters.affordable and resident is not None and resident.is_authenticated:
        rewards = rewards.filter(price__lte=max(points_selectors.balance(resident).available, 0))
    return rewards.order_by("price", "title", "pk")


# The rewards on offer as every resident sees them (gorod.core.cache.shared_cache). Rewards, partners
# and categories are mostly edited in the admin and stock changes with every order, so a page
# may be GOROD_PUBLIC_CACHE_SECONDS old; ordering re-checks everything it acts on.
CATALOGUE = "rewards.catalogue"
CATALOGUE_PAGE_SIZE = 24


def catalogue_page_read(filters: CatalogueFilters, number: Any, *, resident: Any = None) -> Page:
    """One page of ``catalogue``, read now."""
    page = Paginator(catalogue(filters, resident=resident), CATALOGUE_PAGE_SIZE).get_page(number)
    page.object_list = list(page.object_list)
    return page


def catalogue_page(filters: CatalogueFilters, number: Any, *, resident: Any = None) -> Page:
    """One page of ``catalogue``, its rows and count read once per process and scope version
    for everyone unless it depends on the resident's balance (``affordable``)."""
    if filters.affordable:
        return catalogue_page_read(filters, number, resident=resident)
    return shared_cache.remember(
        CATALOGUE,
        ("page", filters, str(number)),
        lambda: catalogue_page_read(filters, number, resident=resident),
    )


def category_choices() -> list[tuple[str, str]]:
    return shared_cache.remember(
        CATALOGUE, "categories", lambda: list(Category.objects.values_list("slug", "name"))
    )


def district_choices() -> list[tuple[int, str]]:
    return shared_cache.remember(
        CATALOGUE, "districts", lambda: list(District.objects.order_by("name").values_list("pk", "name"))
    )


def reward_detail(reward_id: int) -> Reward:
    reward = on_offer().select_related("partner", "category", "fund").filter(pk=reward_id).first()
    if reward is None:
        raise RewardNotFound()
    return reward


def reward_placements(reward: Reward) -> list[Any]:
    return list(
        reward.placements.select_related("pickup_point__district")
        .filter(pickup_point__is_active=True)
        .order_by("pickup_point__name")
    )


def pickup_points_geojson(*, reward_id: int | None = None, district: int | None = None) -> dict[str, Any]:
    """Active pickup points as a GeoJSON FeatureCollection for the map."""
    points = PickupPoint.objects.filter(is_active=True, partner__is_active=True).select_related("partner")
    if reward_id is not None:
        points = points.filter(placements__reward_id=reward_id)
    if district is not None:
        points = points.filter(district_id=district)
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [float(p.longitude), float(p.latitude)]},
                "properties": {
                    "id": p.pk,
                    "name": p.name,
                    "partner": p.partner.name,
                    "address": p.address,
                    "opening_hours": p.opening_hours,
                },
            }
            for p in points.order_by("pk")[:2000]
        ],
    }


def _order_rows() -> QuerySet[Order]:
    return Order.objects.select_related("reward", "partner", "pickup_point", "promo_code", "donation__fund")


def resident_orders(resident: Resident) -> QuerySet[Order]:
    return _order_rows().filter(resident=resident).order_by("-pk")


def resident_order(resident: Resident, order_id: int) -> Order:
    order = _order_rows().filter(resident=resident, pk=order_id).first()
    if order is None:
        raise OrderNotFound()
    return order


def staff_partner(staff: Any) -> Partner:
    if not getattr(staff, "is_authenticated", False):
        raise NotPartnerStaff()
    membership = PartnerStaff.objects.select_related("partner").filter(resident=staff).first()
    if membership is None:
        raise NotPartnerStaff()
    return membership.partner


def partner_orders(partner: Partner, *, status: str = "") -> QuerySet[Order]:
    orders = (
        Order.objects.select_related("reward", "pickup_point", "resident", "handed_over_by")
        .filter(partner=partner)
        .order_by("-pk")
    )
    if status:
        orders = orders.filter(status=status)
    return orders


@dataclass(frozen=True)
class SettlementRow:
    code: str
    completed_at: dt.datetime
    reward: str
    kind: str
    points: int
    pickup_point: str


SETTLED = [OrderStatus.HANDED_OVER, OrderStatus.ISSUED]


def settlement(partner: Partner, *, start: dt.datetime, end: dt.datetime) -> tuple[list[SettlementRow], int]:
    """Orders redeemed for a partner in [start, end): handed over or issued; and their total."""
    orders = (
        Order.objects.filter(
            partner=partner, status__in=SETTLED, completed_at__gte=start, completed_at__lt=end
        )
        .select_related("reward", "handed_over_at_point", "pickup_point")
        .order_by("completed_at", "pk")
    )
    rows = []
    for order in orders.iterator(chunk_size=2000):
        point = order.handed_over_at_point or order.pickup_point
        assert order.completed_at is not None
        rows.append(
            SettlementRow(
                code=order.code,
                completed_at=order.completed_at,
                reward=order.reward.title,
                kind=order.reward.kind,
                points=order.price,
                pickup_point=point.name if point else "",
            )
        )
    return rows, sum(row.points for row in rows)


def funds_with_totals() -> QuerySet[CharityFund]:
    """Funds with their public totals: one grouped query, no counters."""
    return (
        CharityFund.objects.exclude(verification=CharityFund.Verification.SUSPENDED)
        .annotate(total_points=Sum("donations__amount"), donation_count=Count("donations"))
        .order_by("name")
    )


def fund_detail(fund_id: int) -> CharityFund:
    fund = funds_with_totals().filter(pk=fund_id).first()
    if fund is None:
        raise FundNotFound()
    return fund


def donation_receipt(resident: Resident, receipt_number: str) -> Donation:
    donation = (
        Donation.objects.select_related("fund", "transfer")
        .filter(resident=resident, receipt_number=receipt_number)
        .first()
    )
    if donation is None:
        raise DonationNotFound()
    return donation


def resident_donations(resident: Resident) -> QuerySet[Donation]:
    return Donation.objects.select_related("fund").filter(resident=resident).order_by("-pk")


def _staff_partner_id(staff: Resident) -> int:
    partner_id = permissions.staff_partner_id(staff)
    if partner_id is None:
        raise NotPartnerStaff()
    return partner_id


def _desk_order(*, staff: Resident, order_code: str) -> Order:
    partner_id = _staff_partner_id(staff)
    order = (
        Order.objects.select_related("reward", "resident", "pickup_point", "partner")
        .filter(code=order_code)
        .first()
    )
    if order is None:
        raise PickupCodeInvalid(field="code")
    if not permissions.may_hand_over(staff_partner=partner_id, order_partner=order.partner_id):
        raise PickupCodeOtherPartner(field="code")
    return order


def order_for_desk(*, staff: Resident, signed_code: str) -> Order:
    """The order behind a scanned or typed code, if this staff member may hand it over."""
    _staff_partner_id(staff)
    return _desk_order(staff=staff, order_code=pickup.unsign(signed_code))


def order_for_desk_by_number(*, staff: Resident, order_number: str) -> Order:
    """The order behind a number the resident reads out, for this staff member's partner only.

    Finding is all a number does: handing over also needs the order's check (see ``pickup``).
    """
    _staff_partner_id(staff)
    number = "".join(order_number.split()).upper()
    if not number or len(number) > 16:
        raise PickupCodeInvalid(field="code")
    return _desk_order(staff=staff, order_code=number)
