from __future__ import annotations

from typing import Any

import pytest

from gorod.accounts.tests.factories import ResidentFactory
from gorod.rewards import services_catalogue
from gorod.rewards.tests.factories import make_partner, make_point, make_reward


@pytest.fixture
def partner(db: Any) -> Any:
    return make_partner("Café Arbat")


@pytest.fixture
def point(partner: Any) -> Any:
    return make_point(partner)


@pytest.fixture
def item(partner: Any, point: Any) -> Any:
    return make_reward(partner, price=300, stock=5, points=[(point, 0)], title="Mug")


@pytest.fixture
def staff(partner: Any) -> Any:
    member = ResidentFactory(level="standard")
    services_catalogue.partner_staff_assign(partner=partner, resident=member)
    return member
