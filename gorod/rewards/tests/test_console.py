"""Operators run the catalogue in the console; ledger-backed rows stay read-only."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from gorod.accounts import roles
from gorod.accounts.models import AuditEntry
from gorod.accounts.permissions import has_role
from gorod.accounts.services import role_permissions_sync
from gorod.accounts.tests.factories import ResidentFactory
from gorod.points.models import LedgerAccount
from gorod.rewards import services
from gorod.rewards.models import CharityFund, Partner, PartnerStaff, PromoCode, RewardKind
from gorod.rewards.tests.factories import give_points, make_reward

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator_client():
    role_permissions_sync()
    operator = ResidentFactory(roles=[roles.OPERATOR])
    operator.is_staff = True
    operator.save()
    client = Client()
    client.force_login(operator)
    return client


def test_operator_creates_a_partner_with_its_ledger_account(operator_client):
    response = operator_client.post(
        "/console/rewards/partner/add/",
        {
            "name": "Bakery",
            "description": "",
            "contact": "+7 495 000-00-00",
            "website": "",
            "is_active": "on",
            "created_at_0": "2026-11-26",
            "created_at_1": "10:00:00",
            "pickup_points-TOTAL_FORMS": "0",
            "pickup_points-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    partner = Partner.objects.get(name="Bakery")
    assert LedgerAccount.objects.get(pk=partner.ledger_account_id).key == f"partner:{partner.pk}"


def test_operator_creates_a_fund_with_its_account(operator_client):
    response = operator_client.post(
        "/console/rewards/charityfund/add/",
        {"name": "Shelter", "outcome": "Food for a dog", "verification": "verified", "min_donation": 500},
    )
    assert response.status_code == 302
    fund = CharityFund.objects.get(name="Shelter")
    assert fund.ledger_account_id is not None


def test_operator_assigns_staff_and_uploads_promo_codes(operator_client, partner):
    person = ResidentFactory()
    response = operator_client.post(
        "/console/rewards/partnerstaff/add/", {"partner": partner.pk, "resident": person.pk}
    )
    assert response.status_code == 302
    assert PartnerStaff.objects.get(resident=person).partner == partner
    assert has_role(person, roles.PARTNER_STAFF)
    assert AuditEntry.objects.filter(action="rewards.staff_assign").exists()
    promo = make_reward(partner, kind=RewardKind.PROMO_CODE, stock=None)
    upload = SimpleUploadedFile("codes.csv", b"code\nA1\nA2\n", content_type="text/csv")
    response = operator_client.post(f"/console/rewards/reward/{promo.pk}/promo-codes/", {"file": upload})
    assert response.status_code == 302
    assert PromoCode.objects.filter(reward=promo).count() == 2
    bad = SimpleUploadedFile("codes.csv", b"\xff\xfe", content_type="text/csv")
    response = operator_client.post(f"/console/rewards/reward/{promo.pk}/promo-codes/", {"file": bad})
    assert response.status_code == 200 and b"could not be read" in response.content


def test_orders_are_read_only_in_the_console(operator_client, resident, item):
    give_points(resident, 1000)
    order = services.order_place(resident=resident, reward_id=item.pk)
    assert operator_client.get("/console/rewards/order/").status_code == 200
    page = operator_client.get(f"/console/rewards/order/{order.pk}/change/")
    assert page.status_code == 200 and b'name="_save"' not in page.content
    assert operator_client.post(f"/console/rewards/order/{order.pk}/delete/").status_code == 403


def test_a_partner_staff_member_has_no_console_rights(client, staff):
    client.force_login(staff)
    assert client.get("/console/rewards/order/").status_code in (302, 403)
