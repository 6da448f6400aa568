"""Permission matrix: each role against each rewards action (incl. staff of another partner)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from gorod.accounts import roles
from gorod.accounts.services import role_permissions_sync
from gorod.accounts.tests.factories import ResidentFactory
from gorod.rewards import pickup, services, services_catalogue
from gorod.rewards.models import OrderStatus
from gorod.rewards.tests.factories import give_points, make_partner

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "resident", "owner", "own_staff", "other_staff", "operator"]


@pytest.fixture
def world(item, staff, resident) -> dict[str, Any]:
    role_permissions_sync()
    give_points(resident, 1000)
    order = services.order_place(resident=resident, reward_id=item.pk)
    other_staff = ResidentFactory()
    services_catalogue.partner_staff_assign(partner=make_partner(), resident=other_staff)
    operator = ResidentFactory(roles=[roles.OPERATOR])
    operator.is_staff = True
    operator.save()
    users = {
        "anonymous": None,
        "resident": ResidentFactory(),
        "owner": resident,
        "own_staff": staff,
        "other_staff": other_staff,
        "operator": operator,
    }
    return {"order": order, "code": pickup.sign(order.code), "users": users, "item": item}


def client_as(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


# action -> the roles that may do it
EXPECTED = {
    "catalogue": set(ROLES),
    "see_order": {"owner"},
    "desk_lookup": {"own_staff"},
    "partner_orders": {"own_staff", "other_staff"},  # each sees only their own partner's list
    "console_orders": {"operator"},
}


def attempt(action: str, client: Client, world: dict[str, Any]) -> bool:
    if action == "catalogue":
        return client.get(reverse("rewards:catalogue")).status_code == 200
    if action == "see_order":
        return client.get(reverse("rewards:order", args=[world["order"].pk])).status_code == 200
    if action == "desk_lookup":
        response = client.post(reverse("rewards:desk"), {"action": "lookup", "code": world["code"]})
        return response.status_code == 200 and world["item"].title.encode() in response.content
    if action == "partner_orders":
        return client.get(reverse("rewards:partner_orders")).status_code == 200
    if action == "console_orders":
        return client.get("/console/rewards/order/").status_code == 200
    raise AssertionError(action)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_permission_matrix(world, role, action):
    assert attempt(action, client_as(world["users"][role]), world) == (role in EXPECTED[action])


@pytest.mark.parametrize("role", ROLES)
def test_only_own_staff_hand_over_and_only_the_owner_cancels(world, role):
    client = client_as(world["users"][role])
    client.post(reverse("rewards:desk"), {"action": "hand_over", "code": world["code"]})
    client.post(reverse("rewards:order_cancel", args=[world["order"].pk]))
    world["order"].refresh_from_db()
    expected = {"own_staff": OrderStatus.HANDED_OVER, "owner": OrderStatus.CANCELLED}.get(
        role, OrderStatus.RESERVED
    )
    assert world["order"].status == expected


def test_other_partners_orders_never_show(world):
    page = client_as(world["users"]["other_staff"]).get(reverse("rewards:partner_orders"))
    assert world["order"].code.encode() not in page.content
    page = client_as(world["users"]["own_staff"]).get(reverse("rewards:partner_orders"))
    assert world["order"].code.encode() in page.content
