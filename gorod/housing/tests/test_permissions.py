"""Permission matrix: each role against each action of Electronic Home."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from django.test import Client
from django.utils import timezone

from gorod.accounts import roles
from gorod.accounts.tests.factories import ResidentFactory
from gorod.core.errors import DomainError
from gorod.housing import tabular
from gorod.housing.billing import services as services_billing
from gorod.housing.billing import services_import as services_bill_import
from gorod.housing.board import selectors as selectors_board
from gorod.housing.board import services as services_board
from gorod.housing.buildings import services as services_buildings
from gorod.housing.invitations import services as services_invitations
from gorod.housing.meetings import services as services_meetings
from gorod.housing.meetings import services_call
from gorod.housing.meters import services as services_meters
from gorod.housing.models import Announcement
from gorod.housing.tests.conftest import msk
from gorod.housing.tests.factories import AdministratorFactory, BillFactory, BuildingFactory, LinkFactory

pytestmark = pytest.mark.django_db

ROLES = ["owner", "tenant", "stranger", "own_admin", "other_admin", "operator"]


@pytest.fixture
def people(building, premise, owner, administrator):
    tenant = ResidentFactory()
    LinkFactory(resident=tenant, premise=premise, role="tenant")
    other_admin = ResidentFactory(roles=[roles.BUILDING_ADMINISTRATOR], is_staff=True)
    AdministratorFactory(building=BuildingFactory(), resident=other_admin)
    return {
        "owner": owner,
        "tenant": tenant,
        "stranger": ResidentFactory(),
        "own_admin": administrator,
        "other_admin": other_admin,
        "operator": ResidentFactory(roles=[roles.OPERATOR], is_staff=True),
    }


def allowed(action, **kw) -> bool:
    try:
        action(**kw)
    except DomainError as exc:
        assert exc.status in (403, 404, 422, 409), exc
        return False
    return True


EXPECTED = {
    # action: roles allowed
    "ownership_add": {"own_admin", "operator"},
    "meter_reset": {"own_admin", "operator"},
    "bill_create": {"own_admin", "operator"},
    "reading_submit": {"owner", "tenant"},
    "payment_start": {"owner", "tenant"},
    "meeting_create": {"owner", "own_admin", "operator"},
    "announcement_post": {"owner", "tenant"},
    "announcement_official_post": {"own_admin", "operator"},
    "announcement_approve": {"own_admin", "operator"},
    "board_read": {"owner", "tenant", "own_admin", "operator"},
    "invitation_create": {"owner", "tenant"},
    "bills_import": {"own_admin", "operator"},
}


@pytest.mark.parametrize("role", ROLES)
def test_matrix(role, people, premise, meter, building):
    who = people[role]
    period = dt.date(2026, 1 + ROLES.index(role), 1)
    actions = {
        "ownership_add": lambda: services_buildings.ownership_add(
            premise=premise,
            owner_name="X",
            share=Fraction(0),
            kind="shared",
            document_number="1",
            document_date=dt.date(2020, 1, 1),
            actor=who,
        ),
        "meter_reset": lambda: services_meters.meter_reset_record(
            meter=meter, kind="rollover", values=["0"], actor=who
        ),
        "bill_create": lambda: services_billing.bill_create(
            premise=premise, period=period, payer_code="1", lines=[("Heating", 100)], actor=who
        ),
        "reading_submit": lambda: services_meters.reading_submit(
            meter=meter, resident=who, values=[str(101 + ROLES.index(role))], now=msk(2026, 11, 20)
        ),
        "payment_start": lambda: services_billing.payment_start(
            bill=BillFactory(premise=premise, period=period.replace(year=2025)), payer=who
        ),
        "meeting_create": lambda: services_call.meeting_create(
            building=building,
            title="M",
            questions=[("Q", "participants")],
            actor=who,
            starts_at=timezone.now() + dt.timedelta(days=11),
            ends_at=timezone.now() + dt.timedelta(days=20),
        ),
        "announcement_post": lambda: services_board.announcement_post(
            building=building, author=who, title="T", body="B"
        ),
        "announcement_official_post": lambda: services_board.announcement_official_post(
            building=building, actor=who, title="T", body="B", emergency=True
        ),
        "announcement_approve": lambda: services_board.announcement_approve(
            announcement=Announcement.objects.create(
                building=building, author=people["owner"], title="T", body="B"
            ),
            actor=who,
        ),
        "board_read": lambda: selectors_board.board_building(who, building.pk),
        "invitation_create": lambda: services_invitations.invitation_create(building=building, inviter=who),
        "bills_import": lambda: services_bill_import.bills_import(
            building=building,
            table=tabular.from_csv(
                f"premise,period,payer_code,service,amount\n{premise.number},{period:%Y-%m},1,Heating,100\n"
            ),
            actor=who,
        ),
    }
    got = {}
    for name, action in actions.items():
        if name == "ownership_add":
            # A zero share is refused for everyone; the permission check must come first.
            try:
                action()
            except DomainError as exc:
                got[name] = exc.code != "not_building_administrator"
            continue
        got[name] = allowed(action)
    assert {name for name, ok in got.items() if ok} == {
        name for name, who_may in EXPECTED.items() if role in who_may
    }


@pytest.mark.parametrize("role", ROLES)
def test_admin_page_access(role, people):
    client = Client()
    client.force_login(people[role])
    status = client.get("/housing/admin/").status_code
    assert status == (200 if role in {"own_admin", "other_admin", "operator"} else 404)


def test_protocol_only_for_owners_and_administrators(building, premise, owner, administrator):
    meeting = services_call.meeting_create(
        building=building,
        title="M",
        questions=[("Q", "participants")],
        actor=owner,
        notice_at=timezone.now() - dt.timedelta(days=30),
        starts_at=timezone.now() - dt.timedelta(days=20),
        ends_at=timezone.now() - dt.timedelta(days=1),
    )
    services_meetings.meeting_finish(meeting=meeting)
    url = f"/housing/meetings/{meeting.pk}/protocol.pdf"
    for person, status in ((owner, 200), (administrator, 200), (ResidentFactory(), 404)):
        client = Client()
        client.force_login(person)
        response = client.get(url)
        assert response.status_code == status
        if status == 200:
            assert b"".join(response.streaming_content).startswith(b"%PDF")
