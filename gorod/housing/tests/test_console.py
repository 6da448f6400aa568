"""Electronic Home in the console: each action goes through its service, lands in the audit
log, and an administrator of another building gets nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.test import Client

from gorod.accounts import roles
from gorod.accounts.models import AuditEntry
from gorod.accounts.tests.factories import ResidentFactory
from gorod.housing import errors
from gorod.housing.buildings import services as services_buildings
from gorod.housing.console import services as services_console
from gorod.housing.meters import selectors as meters_selectors
from gorod.housing.models import Building, Meter, Ownership, Payment, Premise, Reading, ReadingWindow
from gorod.housing.tests.conftest import msk
from gorod.housing.tests.factories import (
    AdministratorFactory,
    BillFactory,
    BuildingFactory,
    LinkFactory,
    MeterFactory,
    OwnershipFactory,
    PremiseFactory,
)
from gorod.housing.tests.test_billing import callback
from gorod.points import selectors as points

pytestmark = pytest.mark.django_db
NOW = msk(2026, 3, 20, 12, 0)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def outsider(db):
    """An administrator of another building."""
    person = ResidentFactory(level="full", roles=[roles.BUILDING_ADMINISTRATOR], is_staff=True)
    AdministratorFactory(building=BuildingFactory(), resident=person)
    return person


def console(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def audited(action: str) -> int:
    return AuditEntry.objects.filter(action=action).count()


def test_the_building_administrator_opens_the_console_and_sees_electronic_home(administrator):
    page = console(administrator).get("/console/")
    assert page.status_code == 200
    assert b"/console/housing/premise/" in page.content and b"/console/housing/meter/" in page.content


def test_premise_added_and_changed_through_the_console(building, administrator, outsider):
    client = console(administrator)
    added = client.post(
        "/console/housing/premise/add/",
        {"building": building.pk, "number": "7", "kind": "flat", "area": "42.50"},
    )
    assert added.status_code == 302, added.content.decode()[:2000]
    premise = Premise.objects.get(building=building, number="7")
    changed = client.post(
        f"/console/housing/premise/{premise.pk}/change/", {"number": "7A", "kind": "flat", "area": "43.00"}
    )
    assert changed.status_code == 302
    premise.refresh_from_db()
    assert premise.number == "7A" and premise.area == Decimal("43.00")
    assert audited("housing.premise_update") == 1
    # The other building's administrator: not in the list, not on the change page, not addable.
    other = console(outsider)
    # (its change link, not the text "7A": a random token on the page may contain those two characters)
    listed = other.get("/console/housing/premise/").content.decode()
    assert f"/console/housing/premise/{premise.pk}/change/" not in listed
    assert other.get(f"/console/housing/premise/{premise.pk}/change/").status_code == 302
    refused = other.post(
        "/console/housing/premise/add/",
        {"building": building.pk, "number": "8", "kind": "flat", "area": "40"},
    )
    assert refused.status_code == 200 and not Premise.objects.filter(number="8").exists()
    with pytest.raises(errors.NotYourBuilding):
        services_console.premise_update(
            premise=premise, number="9", kind="flat", area=Decimal(1), actor=outsider
        )


def test_a_refused_console_write_shows_the_error_and_writes_nothing(building, premise, administrator):
    OwnershipFactory(premise=premise, owner_name="Anna", share_numerator=2, share_denominator=3)
    response = console(administrator).post(
        "/console/housing/ownership/add/",
        {
            "premise": premise.pk,
            "owner_name": "Boris",
            "kind": "shared",
            "share": "1/2",
            "document_number": "77/2",
            "document_date": "2020-01-01",
        },
    )
    assert response.status_code == 200 and "more than 1" in response.content.decode()
    assert not Ownership.history.filter(owner_name="Boris").exists()


def test_ownership_added_changed_and_ended_with_history(building, premise, administrator, outsider):
    client = console(administrator)
    client.post(
        "/console/housing/ownership/add/",
        {
            "premise": premise.pk,
            "owner_name": "Anna Petrova",
            "kind": "sole",
            "share": "1",
            "document_number": "77/1",
            "document_date": "2020-01-01",
        },
    )
    line = Ownership.objects.get(premise=premise)
    form = {"owner_name": "Anna Petrova", "kind": "sole", "share": "1", "document_number": "77/1-a"}
    form["document_date"] = "2020-01-01"
    assert client.post(f"/console/housing/ownership/{line.pk}/change/", form).status_code == 302
    with pytest.raises(errors.NotYourBuilding):
        services_console.ownership_end(ownership=line, reason="sold", actor=outsider)
    ended = client.post(f"/console/housing/ownership/{line.pk}/change/", {**form, "end_reason_text": "Sold"})
    assert ended.status_code == 302
    assert not Ownership.objects.filter(premise=premise).exists()
    history = Ownership.history.get(pk=line.pk)
    assert history.ended_on == dt.date(2026, 3, 20) and history.end_reason == "Sold"
    assert history.document_number == "77/1-a"
    assert [
        audited(a) for a in ("housing.ownership_add", "housing.ownership_change", "housing.ownership_end")
    ] == [
        1,
        1,
        1,
    ]
    assert b"Anna Petrova" in client.get("/console/housing/ownership/").content


def test_meter_replaced_with_a_final_and_an_initial_reading(building, premise, administrator, outsider):
    meter = MeterFactory(premise=premise)
    with pytest.raises(errors.NotYourBuilding):
        services_console.meter_replace(
            meter=meter,
            final_values=["150"],
            serial="NEW",
            verification_due=dt.date(2032, 1, 1),
            initial_values=["0"],
            actor=outsider,
        )
    client = console(administrator)
    lower = client.post(
        f"/console/housing/meter/{meter.pk}/replace/",
        {"final_values": "99", "serial": "NEW-1", "verification_due": "2032-01-01", "initial_values": "0"},
    )
    assert lower.status_code == 422 and not Reading.objects.exists()
    response = client.post(
        f"/console/housing/meter/{meter.pk}/replace/",
        {"final_values": "150.5", "serial": "NEW-1", "verification_due": "2032-01-01", "initial_values": "3"},
    )
    assert response.status_code == 302
    meter.refresh_from_db()
    final = Reading.objects.get(meter=meter)
    assert meter.archived_on == dt.date(2026, 3, 20)
    assert (final.period, final.value_1, final.consumption) == (
        dt.date(2026, 3, 1),
        Decimal("150.5"),
        Decimal("50.5"),
    )
    new = Meter.objects.get(serial="NEW-1")
    assert new.initial_value_1 == Decimal(3) and new.archived_on is None
    assert audited("housing.meter_replace") == 1
    assert console(outsider).get(f"/console/housing/meter/{meter.pk}/replace/").status_code == 404


def test_reading_windows_per_building_and_resource(building, administrator, outsider):
    response = console(administrator).post(
        "/console/housing/readingwindow/add/",
        {"building": building.pk, "resource": "electricity", "start_day": "20", "end_day": "25"},
    )
    assert response.status_code == 302
    assert meters_selectors.window_of("electricity", building.pk) == (20, 25)
    assert meters_selectors.window_of("electricity", BuildingFactory().pk) != (20, 25)
    with pytest.raises(errors.NotYourBuilding):
        services_console.reading_window_set(
            building=building, resource="gas", start_day=1, end_day=5, actor=outsider
        )
    with pytest.raises(errors.NotYourBuilding):  # the city's window is the operator's
        services_console.reading_window_set(
            building=None, resource="gas", start_day=1, end_day=5, actor=administrator
        )
    assert (
        ReadingWindow.objects.filter(building__isnull=False).count() == 1
        and audited("housing.reading_window_set") == 1
    )


def test_a_buildings_window_changed_in_the_console_stays_the_buildings(building, administrator):
    """The change page shows building and resource read-only: the write must still be the
    building's window, not the city's (which the administrator may not set)."""
    client = console(administrator)
    client.post(
        "/console/housing/readingwindow/add/",
        {"building": building.pk, "resource": "hot_water", "start_day": "20", "end_day": "25"},
    )
    window = ReadingWindow.objects.get(building=building, resource="hot_water")
    changed = client.post(
        f"/console/housing/readingwindow/{window.pk}/change/", {"start_day": "25", "end_day": "3"}
    )
    assert changed.status_code == 302, changed.content.decode()[:2000]
    assert meters_selectors.window_of("hot_water", building.pk) == (25, 3)
    assert not ReadingWindow.objects.filter(
        building__isnull=True, resource="hot_water", start_day=25
    ).exists()
    assert audited("housing.reading_window_set") == 2


def test_refund_from_the_console_takes_the_cashback_back(premise, owner, administrator, outsider):
    bill = BillFactory(premise=premise)
    payment = services_billing_start(bill, owner)
    callback(payment, "done")
    earned = points.balance(owner).balance
    assert earned > 0
    assert (
        console(outsider).post(f"/console/housing/payment/{payment.pk}/refund/", {"reason": "x"}).status_code
        == 404
    )
    assert Payment.objects.get(pk=payment.pk).state == "done"
    response = console(administrator).post(
        f"/console/housing/payment/{payment.pk}/refund/", {"reason": "Charged twice"}
    )
    assert response.status_code == 302
    assert Payment.objects.get(pk=payment.pk).state == "refunded"
    assert points.balance(owner).balance == 0 and audited("housing.payment_refund") == 1


def services_billing_start(bill, payer):
    from gorod.housing.billing import services as services_billing

    return services_billing.payment_start(bill=bill, payer=payer)


def test_verification_shows_the_registers_owner_next_to_the_claim(building, administrator):
    premise = PremiseFactory(building=building, number="31")
    OwnershipFactory(premise=premise, owner_name="Ivan Register", document_number="77-AB-1", owner=None)
    claimant = ResidentFactory(first_name="Mallory", last_name="Claimant")
    LinkFactory(resident=claimant, premise=premise, role="owner", status="pending", document_number="77-AB-1")
    page = console(administrator).get("/housing/admin/").content.decode()
    assert "Mallory" in page and "Ivan Register" in page


def test_a_management_organisations_administrator_adds_a_building_and_administers_it(
    building, administrator, outsider
):
    client = console(administrator)
    added = client.post(
        "/console/housing/building/add/",
        {"address": "New St, 5", "district": building.district_id, "management_organisation": "Zhilishchnik"},
    )
    assert added.status_code == 302, added.content.decode()[:2000]
    new = Building.objects.get(address="New St, 5")
    assert new.administrators.get().resident == administrator
    assert audited("housing.building_create") == 1 and audited("housing.administrator_assign") == 1
    # The other building's administrator does not see it; nobody else may take the address.
    assert b"New St, 5" not in console(outsider).get("/console/housing/building/").content
    again = console(outsider).post(
        "/console/housing/building/add/", {"address": "New St, 5", "district": building.district_id}
    )
    assert again.status_code == 200 and "already in the directory" in again.content.decode()
    assert (
        Building.objects.filter(address="New St, 5").count() == 1 and audited("housing.building_create") == 1
    )
    # Assigning administrators stays the operator's.
    assert client.get("/console/housing/buildingadministrator/add/").status_code == 403
    assert b"/console/housing/building/" in client.get("/console/").content
    resident = ResidentFactory()
    assert console(resident).get("/console/housing/building/add/").status_code == 302
    with pytest.raises(errors.NotBuildingStaff):
        services_buildings.building_create(address="Sneaky St, 1", district=building.district, actor=resident)
    assert not Building.objects.filter(address="Sneaky St, 1").exists()


def test_a_premise_number_twice_is_a_form_error_not_a_crash(building, premise, administrator):
    response = console(administrator).post(
        "/console/housing/premise/add/",
        {"building": building.pk, "number": premise.number, "kind": "flat", "area": "40.00"},
    )
    assert (
        response.status_code == 200 and "already has a premise with this number" in response.content.decode()
    )
    assert Premise.objects.filter(building=building).count() == 1 and audited("housing.premise_create") == 0


def test_a_meter_created_with_its_initial_reading_then_rolled_over(
    building, premise, administrator, outsider
):
    client = console(administrator)
    fields = {
        "premise": premise.pk,
        "resource": "cold_water",
        "serial": "CW-77",
        "tariffs": "1",
        "digits": "5",
        "verification_due": "2031-01-01",
        "installed_on": "2026-03-01",
    }
    bad = client.post("/console/housing/meter/add/", {**fields, "initial_values": "12,5 7"})
    assert bad.status_code == 200 and not Meter.objects.exists()
    two_tariff_water = client.post(
        "/console/housing/meter/add/", {**fields, "tariffs": "2", "initial_values": "1 2"}
    )
    assert two_tariff_water.status_code == 200 and not Meter.objects.exists()
    created = client.post("/console/housing/meter/add/", {**fields, "initial_values": "99950,5"})
    assert created.status_code == 302, created.content.decode()[:2000]
    meter = Meter.objects.get(serial="CW-77")
    assert meter.initial_value_1 == Decimal("99950.5") and audited("housing.meter_create") == 1
    twice = client.post("/console/housing/meter/add/", {**fields, "initial_values": "0"})
    assert twice.status_code == 200 and Meter.objects.count() == 1
    # The counter passed 99999 and restarted: recorded in the console, the next reading starts from it.
    url = f"/console/housing/meter/{meter.pk}/rollover/"
    assert console(outsider).get(url).status_code == 404
    assert console(outsider).post(url, {"values": "0"}).status_code == 404
    assert not meter.resets.exists()
    assert client.post(url, {"values": "abc"}).status_code == 422 and not meter.resets.exists()
    assert client.post(url, {"values": "2"}).status_code == 302
    reset = meter.resets.get()
    assert (reset.kind, reset.value_1, reset.recorded_by) == ("rollover", Decimal(2), administrator)
    assert audited("housing.meter_reset") == 1
    assert b"/rollover/" in client.get("/console/housing/meter/").content


def test_an_administrator_gets_no_resident_links_they_cannot_open(building, premise, administrator):
    """The owner box's lookup icon and the read-only owner led to resident pages answering 403."""
    client = console(administrator)
    residents = "/console/accounts/resident/"
    assert client.get(residents).status_code == 403
    add = client.get("/console/housing/ownership/add/").content.decode()
    assert 'name="owner"' in add and residents not in add
    owner = ResidentFactory()
    line = OwnershipFactory(premise=premise, owner=owner, owner_name="Anna")
    change = client.get(f"/console/housing/ownership/{line.pk}/change/").content.decode()
    assert str(owner) in change and f"{residents}{owner.pk}/change/" not in change
    operator = ResidentFactory(roles=[roles.OPERATOR], is_staff=True, is_superuser=True)
    assert (
        f"{residents}{owner.pk}/change/"
        in console(operator).get(f"/console/housing/ownership/{line.pk}/change/").content.decode()
    )
