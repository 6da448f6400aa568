"""Every Electronic Home action issue 22 added (console edits, meetings, surveys, imports), tried by
an administrator of another building: each is refused with a stable code and nothing is written
(no row of Electronic Home, no audit entry, no points). The building's own administrator (or
the operator, where only the operator may act) is allowed, so each refusal is about the building
and not a broken call."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gorod.accounts import roles
from gorod.accounts.models import AuditEntry
from gorod.accounts.tests.factories import ResidentFactory
from gorod.core.errors import DomainError
from gorod.housing import tabular
from gorod.housing.billing import services as services_billing
from gorod.housing.buildings import services as services_buildings
from gorod.housing.console import services as services_console
from gorod.housing.meetings import selectors as selectors_meetings
from gorod.housing.meetings import services as services_meetings
from gorod.housing.meetings import services_call
from gorod.housing.meters import services as services_meters
from gorod.housing.meters import services_import
from gorod.housing.surveys.services import survey_create
from gorod.housing.tests.factories import (
    AdministratorFactory,
    BillFactory,
    BuildingFactory,
    LinkFactory,
    OwnershipFactory,
    PremiseFactory,
)
from gorod.housing.tests.test_billing import callback
from gorod.points.models import Transfer

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4 scan"


def scan(name: str = "scan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def snapshot() -> dict[str, Any]:
    """Every row of Electronic Home, the audit log and the ledger, to compare before and after."""
    rows: dict[str, Any] = {
        model._meta.label: sorted(map(repr, model._base_manager.values()))
        for model in apps.get_app_config("housing").get_models()
    }
    rows["audit"] = AuditEntry.objects.count()
    rows["transfers"] = Transfer.objects.count()
    return rows


@pytest.fixture
def other_admin(db: Any) -> Any:
    person = ResidentFactory(level="full", roles=[roles.BUILDING_ADMINISTRATOR], is_staff=True)
    AdministratorFactory(building=BuildingFactory(), resident=person)
    return person


@pytest.fixture
def operator(db: Any) -> Any:
    return ResidentFactory(level="full", roles=[roles.OPERATOR], is_staff=True)


@pytest.fixture
def setting(building, premise, owner, meter, administrator):
    """A building with a paid bill, a pending owner's link, a meeting in its voting period (its
    register frozen) and one announced, for the actions that need them."""
    unverified = ResidentFactory(level="full")
    OwnershipFactory(premise=PremiseFactory(building=building, number="40"), owner_name="N", owner=None)
    link = LinkFactory(
        resident=unverified,
        premise=premise,
        role="tenant",
        status="pending",
    )
    payment = services_billing.payment_start(bill=BillFactory(premise=premise), payer=owner)
    callback(payment, "done")
    now = timezone.now()
    voting = services_call.meeting_create(
        building=building,
        title="Voting now",
        questions=[("Q", "participants")],
        notice_at=now - dt.timedelta(days=12),
        starts_at=now - dt.timedelta(days=1),
        ends_at=now + dt.timedelta(days=10),
        actor=owner,
    )
    voting = services_meetings.meeting_start(meeting=voting, now=now)
    announced = services_call.meeting_create(
        building=building,
        title="Later",
        questions=[("Q", "participants")],
        starts_at=now + dt.timedelta(days=11),
        ends_at=now + dt.timedelta(days=20),
        actor=owner,
    )
    return {
        "building": building,
        "premise": premise,
        "owner": owner,
        "meter": meter,
        "link": link,
        "payment": payment,
        "voting": voting,
        "announced": announced,
        "entry": voting.register.get(premise=premise),
        "ownership": premise.ownerships.get(),
        "empty_premise": PremiseFactory(building=building, number="77"),
    }


def actions(s: dict[str, Any]) -> dict[str, tuple[str, Callable[[Any], Any]]]:
    """name -> (who is allowed: "admin" or "operator", the action done by a given actor)."""
    building, premise, meter, voting = s["building"], s["premise"], s["meter"], s["voting"]
    question = voting.questions.get()
    day = dt.date(2024, 1, 1)
    return {
        "building_update": (
            "admin",
            lambda who: services_console.building_update(
                building=building,
                address="Renamed St, 1",
                year_built=1990,
                management_organisation="MC",
                actor=who,
            ),
        ),
        "administrator_assign": (
            "operator",
            lambda who: services_buildings.administrator_assign(
                building=building,
                resident=ResidentFactory(roles=[roles.BUILDING_ADMINISTRATOR], is_staff=True),
                actor=who,
            ),
        ),
        "administrator_remove": (
            "operator",
            lambda who: services_console.administrator_remove(
                assignment=building.administrators.get(), actor=who
            ),
        ),
        "premise_create": (
            "admin",
            lambda who: services_buildings.premise_create(
                building=building, number="99", kind="flat", area=Decimal("30.00"), actor=who
            ),
        ),
        "premise_update": (
            "admin",
            lambda who: services_console.premise_update(
                premise=premise, number="12A", kind="flat", area=Decimal("51.00"), actor=who
            ),
        ),
        "ownership_add": (
            "admin",
            lambda who: services_buildings.ownership_add(
                premise=s["empty_premise"],
                owner_name="New owner",
                share=Fraction(1),
                kind="sole",
                document_number="77/77",
                document_date=day,
                actor=who,
            ),
        ),
        "ownership_change": (
            "admin",
            lambda who: services_console.ownership_change(
                ownership=s["ownership"],
                owner_name="Corrected",
                share=Fraction(1),
                kind="sole",
                joint_group=None,
                document_number="77/1",
                document_date=day,
                actor=who,
            ),
        ),
        "ownership_end": (
            "admin",
            lambda who: services_console.ownership_end(ownership=s["ownership"], reason="Sold", actor=who),
        ),
        "meter_create": (
            "admin",
            lambda who: services_meters.meter_create(
                premise=premise,
                resource="hot_water",
                serial="HW-NEW",
                verification_due=dt.date(2032, 1, 1),
                installed_on=day,
                initial_values=["12.5"],
                actor=who,
            ),
        ),
        "meter_replace": (
            "admin",
            lambda who: services_console.meter_replace(
                meter=meter,
                final_values=["150"],
                serial="CW-NEW",
                verification_due=dt.date(2032, 1, 1),
                initial_values=["0"],
                actor=who,
            ),
        ),
        "meter_rollover": (
            "admin",
            lambda who: services_meters.meter_reset_record(
                meter=meter, kind="rollover", values=["0"], actor=who
            ),
        ),
        "reading_window_building": (
            "admin",
            lambda who: services_console.reading_window_set(
                building=building, resource="cold_water", start_day=10, end_day=20, actor=who
            ),
        ),
        "reading_window_city": (
            "operator",
            lambda who: services_console.reading_window_set(
                building=None, resource="gas", start_day=10, end_day=20, actor=who
            ),
        ),
        "payment_refund": (
            "admin",
            lambda who: services_billing.payment_refund(payment=s["payment"], actor=who, reason="Twice"),
        ),
        "link_confirm": (
            "admin",
            lambda who: services_buildings.link_confirm(link=s["link"], actor=who),
        ),
        "link_reject": (
            "admin",
            lambda who: services_buildings.link_reject(link=s["link"], actor=who, reason="No document"),
        ),
        "meeting_create": (
            "admin",
            lambda who: services_call.meeting_create(
                building=building,
                title="By management",
                questions=[("Q", "unanimous")],
                starts_at=timezone.now() + dt.timedelta(days=11),
                ends_at=timezone.now() + dt.timedelta(days=20),
                actor=who,
            ),
        ),
        "materials_add": (
            "admin",
            lambda who: services_call.materials_add(
                meeting=s["announced"], uploads=[scan("plan.pdf")], actor=who
            ),
        ),
        "proxy_record": (
            "admin",
            lambda who: services_meetings.proxy_record(
                meeting=voting,
                entry=s["entry"],
                proxy=ResidentFactory(level="full"),
                power_of_attorney="77 AA 1",
                document=scan(),
                actor=who,
            ),
        ),
        "paper_ballot": (
            "admin",
            lambda who: services_meetings.paper_ballot_enter(
                meeting=voting, entry=s["entry"], answers={question.pk: "for"}, scan=scan(), actor=who
            ),
        ),
        "meeting_register": (
            "admin",
            lambda who: selectors_meetings.meeting_for_administrator(who, voting.pk),
        ),
        "survey_create": (
            "admin",
            lambda who: survey_create(
                building=building,
                title="Bike shed?",
                questions=[("Where?", ["Yard", "Basement"])],
                days=7,
                actor=who,
            ),
        ),
        "readings_import": (
            "admin",
            lambda who: _accepted(
                services_import.readings_import(
                    period=timezone.localdate(),
                    rows=[services_import.ImportedReading(meter.pk, s["owner"].pk, ["150"])],
                    actor=who,
                )
            ),
        ),
        "register_import": (
            "admin",
            lambda who: services_buildings.register_import_table(
                building=building,
                table=tabular.from_csv(
                    "premise,area,owner,share,document_number,document_date\n"
                    "50,40.00,Imported,1,77/50,2020-01-01\n"
                ),
                actor=who,
            ),
        ),
    }


READS = {"meeting_register"}
NAMES = [
    "building_update", "administrator_assign", "administrator_remove", "premise_create", "premise_update",
    "ownership_add", "ownership_change", "ownership_end", "meter_create", "meter_replace", "meter_rollover",
    "reading_window_building", "reading_window_city", "payment_refund", "link_confirm", "link_reject",
    "meeting_create", "materials_add", "proxy_record", "paper_ballot", "meeting_register", "survey_create",
    "readings_import", "register_import",
]  # fmt: skip


def _accepted(report: Any) -> Any:
    assert report.accepted == 1, report.errors
    return report


def test_the_list_names_every_action(setting):
    assert sorted(NAMES) == sorted(actions(setting))


@pytest.mark.parametrize("name", NAMES)
def test_an_administrator_of_another_building_gets_nothing(
    name, setting, administrator, other_admin, operator
):
    allowed_role, action = actions(setting)[name]
    before = snapshot()
    with pytest.raises(DomainError) as refused:
        action(other_admin)
    assert refused.value.status in (403, 404), refused.value.code
    assert snapshot() == before, f"{name} wrote something for another building's administrator"
    if allowed_role == "operator":
        # The building's own administrator is refused these too: they are the operator's.
        with pytest.raises(DomainError):
            action(administrator)
        assert snapshot() == before
    action(administrator if allowed_role == "admin" else operator)
    if name not in READS:
        assert snapshot() != before, f"{name} did nothing for the one allowed"
