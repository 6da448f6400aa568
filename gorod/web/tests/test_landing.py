"""After sign-in each staff role lands on its work; residents on the home page."""

from __future__ import annotations

import pytest
from django.test import Client

from gorod.accounts import roles
from gorod.accounts.services import role_permissions_sync
from gorod.accounts.tests.factories import ResidentFactory
from gorod.housing.tests.factories import AdministratorFactory, BuildingFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "workplace"),
    [
        (roles.OPERATOR, "/console/"),
        (roles.MODERATOR, "/problems/moderation/"),
        (roles.BUILDING_ADMINISTRATOR, "/housing/admin/"),
        (roles.PARTNER_STAFF, "/rewards/desk/"),
        (roles.ORGANISATION_RESPONDER, "/problems/queue/"),
        (None, "/"),
    ],
)
def test_each_role_lands_on_its_work_after_sign_in(role, workplace):
    role_permissions_sync()
    person = ResidentFactory(level="full", roles=[role] if role else [], is_staff=role is not None)
    if role == roles.BUILDING_ADMINISTRATOR:
        AdministratorFactory(building=BuildingFactory(), resident=person)
    client = Client()
    signed_in = client.post("/accounts/sign-in/", {"username": person.username, "password": "pass-word-123"})
    assert signed_in.status_code == 302
    landed = client.get(signed_in["Location"])
    assert landed.status_code == 302 and landed["Location"] == workplace
    if role not in (
        roles.PARTNER_STAFF,
        roles.ORGANISATION_RESPONDER,
    ):  # these need their partner/organisation
        assert client.get(workplace).status_code == 200


def test_a_next_address_still_wins():
    person = ResidentFactory(roles=[roles.OPERATOR], is_staff=True)
    client = Client()
    response = client.post(
        "/accounts/sign-in/?next=/housing/", {"username": person.username, "password": "pass-word-123"}
    )
    assert response["Location"] == "/housing/"


def test_the_housing_administrators_console_link_does_not_answer_no_permission():
    person = ResidentFactory(level="full", roles=[roles.BUILDING_ADMINISTRATOR], is_staff=True)
    AdministratorFactory(building=BuildingFactory(), resident=person)
    client = Client()
    client.force_login(person)
    page = client.get("/console/").content.decode()
    assert "permission" not in page.lower() and "/console/housing/meter/" in page
