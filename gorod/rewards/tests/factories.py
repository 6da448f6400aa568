from __future__ import annotations

from decimal import Decimal
from typing import Any

from gorod.points import services as points_services
from gorod.points.services_rules import earning_rule_define
from gorod.rewards import services_catalogue
from gorod.rewards.models import CharityFund, Partner, PickupPoint, Reward, RewardKind, RewardPickupPoint

_counter = {"n": 0}


def _next() -> int:
    _counter["n"] += 1
    return _counter["n"]


def give_points(resident: Any, amount: int, key: str = "grant") -> None:
    earning_rule_define(programme="mission_city", action="test_grant", name="Test grant")
    points_services.award(
        resident=resident,
        programme="mission_city",
        action="test_grant",
        source_key=f"test:{key}:{resident.pk}:{_next()}",
        amount=amount,
    )


def make_partner(name: str | None = None, **fields: Any) -> Partner:
    return services_catalogue.partner_create(name=name or f"Partner {_next()}", **fields)


def make_point(partner: Partner, **fields: Any) -> PickupPoint:
    defaults: dict[str, Any] = {
        "name": f"Shop {_next()}",
        "address": "Arbat St, 10",
        "latitude": Decimal("55.750500"),
        "longitude": Decimal("37.593200"),
        "opening_hours": "10:00-20:00",
    }
    defaults.update(fields)
    return PickupPoint.objects.create(partner=partner, **defaults)


def make_fund(**fields: Any) -> CharityFund:
    fields.setdefault("verification", CharityFund.Verification.VERIFIED)
    return services_catalogue.fund_create(name=f"Fund {_next()}", outcome="1,000 points buy a meal", **fields)


def make_reward(
    partner: Partner,
    *,
    kind: str = RewardKind.ITEM,
    price: int = 100,
    stock: int | None = 10,
    points: list[tuple[PickupPoint, int]] | None = None,
    **fields: Any,
) -> Reward:
    if kind == RewardKind.CHARITY and "fund" not in fields:
        fields["fund"] = make_fund()
    reward = Reward.objects.create(
        partner=partner,
        kind=kind,
        title=fields.pop("title", f"Reward {_next()}"),
        price=price,
        stock=stock,
        **fields,
    )
    for point, point_stock in points or []:
        RewardPickupPoint.objects.create(reward=reward, pickup_point=point, stock=point_stock)
    return reward
