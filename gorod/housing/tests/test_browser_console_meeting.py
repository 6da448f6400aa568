"""From a seeded city: the operator creates a building and assigns its administrator, who adds
premises, owners and a meter and opens a reading window in the console; an owner calls a
meeting with a unanimity and a two-thirds question; owners and a proxy vote; the meeting
closes and the protocol downloads. The clock is fixed (and moved) with time_machine."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from gorod.housing.tests.test_browser import restore_migration_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
MSK = ZoneInfo("Europe/Moscow")
T0 = dt.datetime(2026, 3, 2, 10, 0, tzinfo=MSK)


def sign_in(page: Any, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/sign-in/")
    page.get_by_label("Login, e-mail or phone").fill(username)
    page.get_by_label("Password").fill("pass-word-123")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def save(page: Any) -> None:
    page.locator("input[name=_save]").click()
    page.locator(".messagelist .success").first.wait_for()


def vote(page: Any, *, review_weight: str, choices: str = "for") -> None:
    for radio in page.get_by_role("radio", name=choices, exact=True).all():
        radio.check()
    page.get_by_role("button", name="Review my ballot").click()
    assert review_weight in page.get_by_test_id("ballot-weight").inner_text()
    page.get_by_role("button", name="Cast my vote").click()
    page.get_by_text("Your vote was recorded.").wait_for()


def test_console_to_protocol(browser_page, live_server):
    from gorod.accounts import roles
    from gorod.accounts.services import role_permissions_sync
    from gorod.accounts.tests.factories import DistrictFactory, ResidentFactory
    from gorod.housing.meetings import services as services_meetings
    from gorod.housing.models import Building, Meeting, Meter, Ownership, ReadingWindow

    restore_migration_data()
    role_permissions_sync()
    district = DistrictFactory(name="Arbat")
    ResidentFactory(username="operator", level="full", roles=[roles.OPERATOR], is_staff=True)
    manager = ResidentFactory(
        username="manager", level="full", roles=[roles.BUILDING_ADMINISTRATOR], is_staff=True
    )
    owners = {name: ResidentFactory(username=name, level="standard") for name in ("anna", "boris", "clara")}
    page = browser_page

    with time_machine.travel(T0, tick=True) as clock:
        sign_in(page, "operator")
        assert page.url.endswith("/console/")
        page.goto("/console/housing/building/add/")
        page.get_by_label("Address").fill("Arbat St, 20")
        page.get_by_label("District").select_option(label=str(district))
        save(page)
        building = Building.objects.get(address="Arbat St, 20")
        page.goto("/console/housing/buildingadministrator/add/")
        page.get_by_label("Building").select_option(value=str(building.pk))
        page.locator("#id_resident").fill(str(manager.pk))
        save(page)

        sign_in(page, "manager")
        assert page.url.endswith("/housing/admin/")
        page.get_by_role("link", name="Console").click()
        for number, area in (("1", "60.00"), ("2", "40.00")):
            page.goto("/console/housing/premise/add/")
            page.get_by_label("Building").select_option(value=str(building.pk))
            page.get_by_label("Number").fill(number)
            page.get_by_label("Area, m²").fill(area)
            save(page)
        for name, number, kind, share in (
            ("anna", "1", "sole", "1"),
            ("boris", "2", "shared", "1/2"),
            ("clara", "2", "shared", "1/2"),
        ):
            page.goto("/console/housing/ownership/add/")
            page.get_by_label("Premise").select_option(label=f"Arbat St, 20, {number}")
            page.locator("#id_owner_name").fill(name.title())
            page.locator("#id_owner").fill(str(owners[name].pk))
            page.locator("#id_kind").select_option(value=kind)
            page.locator("#id_share").fill(share)
            page.locator("#id_document_number").fill(f"77/{name}")
            page.locator("#id_document_date").fill("2020-01-01")
            save(page)
        page.goto("/console/housing/meter/add/")
        page.get_by_label("Premise").select_option(label="Arbat St, 20, 1")
        page.get_by_label("Resource").select_option(value="cold_water")
        page.get_by_label("Serial number").fill("CW-20-1")
        page.get_by_label("Verification due").fill("2031-01-01")
        page.get_by_label("Installed on").fill("2025-01-01")
        save(page)
        page.goto("/console/housing/readingwindow/add/")
        page.get_by_label("Building").select_option(value=str(building.pk))
        page.get_by_label("Resource").select_option(value="cold_water")
        page.get_by_label("From day").fill("1")
        page.get_by_label("To day (inclusive)").fill("28")
        save(page)
        assert Ownership.objects.filter(premise__building=building).count() == 3
        assert Meter.objects.filter(building=building).count() == 1
        assert ReadingWindow.objects.filter(building=building).count() == 1

        sign_in(page, "anna")
        page.goto("/housing/meetings/new/")
        page.get_by_label("Building").select_option(value=str(building.pk))
        page.get_by_label("Title").fill("Attic and roof")
        page.get_by_label("Form of the meeting").select_option(value="electronic")
        page.get_by_label("Voting starts").fill("2026-03-13T10:00")
        page.get_by_label("Voting ends").fill("2026-03-20T10:00")
        page.locator("#id_subject_1").fill("Join the attic to flat 1")
        page.locator("#id_threshold_1").select_option(value="unanimous")
        page.locator("#id_subject_2").fill("Lease the roof to a mobile operator")
        page.locator("#id_threshold_2").select_option(value="two_thirds")
        page.get_by_role("button", name="Call the meeting").click()
        page.get_by_text("The meeting is called; the owners are notified.").wait_for()
        meeting = Meeting.objects.get(title="Attic and roof")
        assert "art. 36 part 3" in page.content()

        clock.move_to(dt.datetime(2026, 3, 14, 10, 0, tzinfo=MSK))
        sign_in(page, "manager")
        page.goto(f"/housing/admin/meetings/{meeting.pk}/")
        clara_entry = meeting.register.get(owner_name="Clara")
        page.goto(f"/housing/admin/meetings/{meeting.pk}/entries/{clara_entry.pk}/proxy/")
        page.locator("#id_proxy").fill("anna")
        page.locator("#id_power_of_attorney").fill("77 AA 0001")
        page.locator("#id_document").set_input_files(
            files=[
                {"name": "poa.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 power of attorney"}
            ]
        )
        page.locator("button[type=submit]").last.click()
        page.get_by_text("The proxy may now vote for this owner.").wait_for()

        sign_in(page, "anna")
        page.goto(f"/housing/meetings/{meeting.pk}/")
        page.locator("input[name=entry]").nth(1).uncheck()  # her own flat first
        vote(page, review_weight="60.00")
        vote(page, review_weight="20.00")  # then for Clara, by proxy
        page.get_by_test_id("voted").wait_for()
        sign_in(page, "boris")
        page.goto(f"/housing/meetings/{meeting.pk}/")
        vote(page, review_weight="20.00")

        clock.move_to(dt.datetime(2026, 3, 20, 10, 1, tzinfo=MSK))
        services_meetings.meetings_advance()
        sign_in(page, "boris")
        page.goto(f"/housing/meetings/{meeting.pk}/")
        results = page.get_by_test_id("results").inner_text()
        assert results.count("not adopted") == 0 and results.count("adopted") == 2
        protocol = page.request.get(page.get_by_test_id("protocol").get_attribute("href"))
        assert protocol.ok and protocol.body()[:4] == b"%PDF"
