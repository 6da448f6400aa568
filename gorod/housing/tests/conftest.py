from __future__ import annotations

import datetime as dt
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
