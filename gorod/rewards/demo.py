"""Demo Million Prizes: partners with pickup points, rewards of every kind, charity funds.

The demo user ``partner`` works at the souvenir shop's desk. Idempotent: found by name.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from gorod.accounts.demo import DemoLogin
from gorod.accounts.models import District, Resident
from gorod.rewards import services_catalogue
from gorod.rewards.models import (
    Category,
    CharityFund,
    Partner,
    PickupPoint,
    Reward,
    RewardKind,
    RewardPickupPoint,
    StockScope,
)

CATEGORIES = [
    ("souvenirs", gettext_noop("Souvenirs"), 10),
    ("household", gettext_noop("Household goods"), 20),
    ("cafes", gettext_noop("Cafés and restaurants"), 30),
    ("culture", gettext_noop("Theatres and museums"), 40),
    ("charity", gettext_noop("Charity"), 50),
]

PARTNERS = [
    # name, description, contact, pickup points (name, address, district code, lat, lon, hours)
    (
        gettext_noop("Moscow Souvenirs"),
        gettext_noop("Mugs, scarves and badges with the city's symbols."),
        "souvenirs@example.test",
        [
            (
                gettext_noop("Arbat shop"),
                gettext_noop("Arbat St, 10"),
                "arbat",
                "55.750500",
                "37.593200",
                "10:00–21:00",
            ),
            (
                gettext_noop("Tverskaya shop"),
                gettext_noop("Tverskaya St, 12"),
                "tverskoy",
                "55.764500",
                "37.606500",
                "10:00–22:00",
            ),
        ],
    ),
    (
        gettext_noop("Home & Garden"),
        gettext_noop("Household goods for city flats and dachas."),
        "home@example.test",
        [
            (
                gettext_noop("Aeroport store"),
                gettext_noop("Leningradsky Ave, 62"),
                "aeroport",
                "55.803000",
                "37.530000",
                "09:00–21:00",
            ),
            (
                gettext_noop("Savyolovsky store"),
                gettext_noop("Bolshaya Novodmitrovskaya St, 14"),
                "savyolovsky",
                "55.805000",
                "37.585000",
                "09:00–21:00",
            ),
        ],
    ),
    (
        gettext_noop("Coffee Point"),
        gettext_noop("A chain of coffee shops across the city."),
        "coffee@example.test",
        [],
    ),
    (
        gettext_noop("City Drama Theatre"),
        gettext_noop("Evening performances and matinées."),
        "tickets@example.test",
        [],
    ),
]

FUNDS = [
    (
        gettext_noop("Good Paws Shelter"),
        gettext_noop("A shelter for homeless dogs and cats in the north of the city."),
        gettext_noop("500 points feed one dog for a day"),
    ),
    (
        gettext_noop("City Food Bank"),
        gettext_noop("Food parcels for elderly residents living alone."),
        gettext_noop("2,000 points buy one food parcel"),
    ),
]


def _partner(name: str, description: str, contact: str) -> Partner:
    existing = Partner.objects.filter(name=name).first()
    if existing is not None:
        return existing
    return services_catalogue.partner_create(name=name, description=description, contact=contact)


def _fund(name: str, description: str, outcome: str) -> CharityFund:
    existing = CharityFund.objects.filter(name=name).first()
    if existing is not None:
        return existing
    return services_catalogue.fund_create(
        name=name,
        description=description,
        outcome=outcome,
        verification=CharityFund.Verification.VERIFIED,
        min_donation=500,
        max_donation=5000,
    )


def _reward(partner: Partner, title: str, **fields: object) -> Reward:
    reward, _created = Reward.objects.get_or_create(partner=partner, title=title, defaults=fields)
    return reward


@transaction.atomic
def seed() -> list[DemoLogin] | None:
    categories = {
        slug: Category.objects.get_or_create(slug=slug, defaults={"name": name, "ordering_weight": weight})[0]
        for slug, name, weight in CATEGORIES
    }
    districts = {d.code: d for d in District.objects.all()}
    partners: dict[str, Partner] = {}
    points: dict[str, PickupPoint] = {}
    for name, description, contact, pickup in PARTNERS:
        partner = partners[name] = _partner(name, description, contact)
        for point_name, address, district, lat, lon, hours in pickup:
            points[point_name], _created = PickupPoint.objects.get_or_create(
                partner=partner,
                name=point_name,
                defaults={
                    "address": address,
                    "district": districts.get(district),
                    "latitude": Decimal(lat),
                    "longitude": Decimal(lon),
                    "opening_hours": hours,
                },
            )
    funds = [_fund(*fund) for fund in FUNDS]

    souvenirs = partners[gettext_noop("Moscow Souvenirs")]
    stickers = _reward(
        souvenirs,
        gettext_noop("Metro sticker set"),
        kind=RewardKind.ITEM,
        category=categories["souvenirs"],
        description=gettext_noop("Ten stickers with metro line symbols."),
        price=50,
        stock=200,
        limit_per_resident=2,
        limit_period="month",
    )
    mug = _reward(
        souvenirs,
        gettext_noop("City mug"),
        kind=RewardKind.ITEM,
        category=categories["souvenirs"],
        description=gettext_noop("A white mug with the city skyline."),
        price=300,
        stock=50,
        limit_per_resident=1,
        limit_period="year",
    )
    for reward in (stickers, mug):
        for point_name in (gettext_noop("Arbat shop"), gettext_noop("Tverskaya shop")):
            RewardPickupPoint.objects.get_or_create(reward=reward, pickup_point=points[point_name])
    umbrella = _reward(
        partners[gettext_noop("Home & Garden")],
        gettext_noop("Folding umbrella"),
        kind=RewardKind.ITEM,
        category=categories["household"],
        description=gettext_noop("Stock is kept per store: choose a store that still has one."),
        price=1500,
        stock=None,
        stock_scope=StockScope.PICKUP_POINT,
        min_level="standard",
    )
    for point_name, stock in ((gettext_noop("Aeroport store"), 10), (gettext_noop("Savyolovsky store"), 3)):
        RewardPickupPoint.objects.get_or_create(
            reward=umbrella, pickup_point=points[point_name], defaults={"stock": stock}
        )
    coffee = _reward(
        partners[gettext_noop("Coffee Point")],
        gettext_noop("Free cappuccino"),
        kind=RewardKind.PROMO_CODE,
        category=categories["cafes"],
        description=gettext_noop("A promo code for one cappuccino in any Coffee Point."),
        terms=gettext_noop("Valid for 30 days after it is issued."),
        price=150,
        stock=None,
    )
    if not coffee.promo_codes.exists():
        services_catalogue.promo_codes_upload(
            reward=coffee, raw="\n".join(f"CAPPUCCINO-{n:04d}" for n in range(1, 51))
        )
    _reward(
        partners[gettext_noop("City Drama Theatre")],
        gettext_noop("Theatre ticket: The Cherry Orchard"),
        kind=RewardKind.TICKET,
        category=categories["culture"],
        description=gettext_noop("One seat in the stalls."),
        price=2000,
        stock=30,
        event_starts_at=timezone.now().replace(hour=16, minute=0, second=0, microsecond=0)
        + dt.timedelta(days=10),
        event_venue=gettext_noop("City Drama Theatre, main stage"),
        min_level="standard",
        limit_per_resident=2,
    )
    _reward(
        partners[gettext_noop("Coffee Point")],
        gettext_noop("A day of food for a shelter dog"),
        kind=RewardKind.CHARITY,
        category=categories["charity"],
        description=gettext_noop(
            "Coffee Point customers' favourite cause: the points go straight to the shelter."
        ),
        price=500,
        stock=None,
        fund=funds[0],
    )
    partner_user = Resident.objects.filter(username="partner").first()
    if partner_user is not None and not hasattr(partner_user, "partner_staff"):
        services_catalogue.partner_staff_assign(partner=souvenirs, resident=partner_user)
    return None
