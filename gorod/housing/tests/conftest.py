from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from gorod.accounts import roles
from gorod.accounts.tests.factories import ResidentFactory
from gorod.housing.tests.factories import (
    AdministratorFactory,
    BuildingFactory,
    LinkFactory,
    MeterFactory,
    OwnershipFactory,
    PremiseFactory,
)

MSK = ZoneInfo("Europe/Moscow")


def msk(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=MSK)


@pytest.fixture
def building(db: Any) -> Any:
    return BuildingFactory()


@pytest.fixture
def administrator(building: Any) -> Any:
    admin = ResidentFactory(level="full", roles=[roles.BUILDING_ADMINISTRATOR], is_staff=True)
    AdministratorFactory(building=building, resident=admin)
    return admin


@pytest.fixture
def premise(building: Any) -> Any:
    return PremiseFactory(building=building, number="12")


@pytest.fixture
def owner(premise: Any) -> Any:
    """A standard-level resident who owns and is linked to ``premise``."""
    person = ResidentFactory(level="standard")
    OwnershipFactory(premise=premise, owner=person, owner_name=person.display_name)
    LinkFactory(resident=person, premise=premise, role="owner")
    return person


@pytest.fixture
def meter(premise: Any) -> Any:
    return MeterFactory(premise=premise)


@pytest.fixture
def house(building):
    """Premises and owners of the hand-computed case (all votes = 200.01 m²)."""
    people = {name: ResidentFactory(level="standard", username=name) for name in "ABCDEF"}
    p1 = PremiseFactory(building=building, number="1", area=Decimal("60.00"))
    p2 = PremiseFactory(building=building, number="2", area=Decimal("40.01"))
    p3 = PremiseFactory(building=building, number="3", area=Decimal("50.00"))
    p4 = PremiseFactory(building=building, number="4", area=Decimal("50.00"))
    OwnershipFactory(premise=p1, owner=people["A"], owner_name="A")
    OwnershipFactory(
        premise=p2, owner=people["B"], owner_name="B", kind="shared", share_numerator=1, share_denominator=2
    )
    OwnershipFactory(
        premise=p2, owner=people["C"], owner_name="C", kind="shared", share_numerator=1, share_denominator=2
    )
    OwnershipFactory(premise=p3, owner=people["D"], owner_name="D", kind="joint", joint_group=1)
    OwnershipFactory(premise=p3, owner=people["E"], owner_name="E", kind="joint", joint_group=1)
    OwnershipFactory(premise=p4, owner=people["F"], owner_name="F")
    return people
