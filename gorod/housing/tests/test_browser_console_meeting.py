"""Issue 22's "done when", in chromium from a fresh demo city (seed_demo) at the run's instant:

the management organisation's administrator (demo login ``housing``) lands on their work, opens
the console, adds a building with premises, owners and a meter, sets the building's reading
window (first shut, then open: the building's window wins over the city's) and confirms an
owner's claim against the register; the owner submits a reading; an owner calls a meeting with
a unanimity and a two-thirds question; owners and a proxy (who first votes for their own flat)
vote after reviewing their weight; the meeting closes and the protocol PDF downloads and says
what was decided. The clock moves from the run's instant (GOROD_TEST_NOW) with time_machine."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from gorod.housing.tests.test_protocol_language import pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "gorod-demo-2026"
ADDRESS = "Arbat St, 22"


def expect(target: Any) -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(target)


def sign_in(page: Any, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/sign-in/")
    page.get_by_label("Login, e-mail or phone").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/sign-in/"))


def save(page: Any) -> None:
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist .success").first).to_be_visible()


def window_around(day: int) -> tuple[int, int]:
    """Window days (1-28) that contain ``day``; past the 28th the window runs into next month."""
    return (day, min(day + 3, 28)) if day <= 28 else (25, 3)


def window_without(day: int) -> tuple[int, int]:
    return (1, 2) if day > 3 else (10, 12)


def vote(page: Any, *, choices: tuple[str, str], weight: str, proxy: bool = False) -> None:
    for n, choice in enumerate(choices):
        page.locator("fieldset").nth(n).get_by_role("radio", name=choice, exact=True).check()
    page.get_by_role("button", name="Review my ballot").click()
    review = page.get_by_test_id("ballot-review")
    expect(page.get_by_test_id("ballot-weight")).to_contain_text(f"Votes in total: {weight}.")
    if proxy:
        expect(review).to_contain_text("by proxy")
    else:
        expect(review).not_to_contain_text("by proxy")
    page.get_by_role("button", name="Cast my vote").click()
    expect(page.get_by_text("Your vote was recorded.")).to_be_visible()


def add_ownership(
    page: Any, *, premise: str, name: str, share: str, document: str, account: Any = None
) -> None:
    page.goto("/console/housing/ownership/add/")
    page.get_by_label("Premise").select_option(label=f"{ADDRESS}, {premise}")
    page.locator("#id_owner_name").fill(name)
    if account is not None:
        page.locator("#id_owner").fill(str(account.pk))
    page.locator("#id_kind").select_option(value="sole" if share == "1" else "shared")
    page.locator("#id_share").fill(share)
    page.locator("#id_document_number").fill(document)
    page.locator("#id_document_date").fill("2020-01-01")
    save(page)


def test_demo_city_from_console_to_protocol(browser_page, live_server):
    from gorod.accounts.models import Resident
    from gorod.housing.meetings import services as services_meetings
    from gorod.housing.models import Building, Meeting

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    people = {r.username: r for r in Resident.objects.filter(username__in=["anna", "boris", "gleb"])}
    page = browser_page

    with time_machine.travel(timezone.now(), tick=True) as clock:
        today = timezone.localdate()
        # The management organisation's administrator lands on their work; its Console link works.
        sign_in(page, "housing")
        expect(page).to_have_url(re.compile(r"/housing/admin/$"))
        page.get_by_role("link", name="Console", exact=True).click()
        expect(page).to_have_url(re.compile(r"/console/$"))
        expect(page.get_by_role("link", name="Buildings")).to_be_visible()

        page.goto("/console/housing/building/add/")
        page.get_by_label("Address").fill(ADDRESS)
        page.get_by_label("District").select_option(label="Arbat")
        page.get_by_label("Management organisation").fill("GBU Zhilishchnik Arbat")
        save(page)
        building = Building.objects.get(address=ADDRESS)
        for number, area in (("1", "60.00"), ("2", "40.00"), ("3", "50.00")):
            page.goto("/console/housing/premise/add/")
            page.locator("#id_building").select_option(value=str(building.pk))
            page.get_by_label("Number").fill(number)
            page.get_by_label("Area, m²").fill(area)
            save(page)
        # Anna's line has no account yet: she claims it and is confirmed against the register.
        add_ownership(page, premise="1", name="Anna Petrova", share="1", document="77/22-1")
        add_ownership(
            page, premise="2", name="Gleb Smirnov", share="1/2", document="77/22-2", account=people["gleb"]
        )
        add_ownership(page, premise="2", name="Clara Kuznetsova", share="1/2", document="77/22-3")
        add_ownership(
            page, premise="3", name="Boris Ivanov", share="1", document="77/22-4", account=people["boris"]
        )
        expect(page.locator("#result_list")).to_contain_text("Clara Kuznetsova")

        page.goto("/console/housing/meter/add/")
        page.get_by_label("Premise").select_option(label=f"{ADDRESS}, 1")
        page.get_by_label("Resource").select_option(value="cold_water")
        page.get_by_label("Serial number").fill("CW-22-1")
        page.get_by_label("Verification due").fill("2031-01-01")
        page.get_by_label("Installed on").fill("2025-01-01")
        page.get_by_label("Initial reading").fill("10")
        save(page)
        shut_from, shut_to = window_without(today.day)
        page.goto("/console/housing/readingwindow/add/")
        page.locator("#id_building").select_option(value=str(building.pk))
        page.get_by_label("Resource").select_option(value="cold_water")
        page.get_by_label("From day").fill(str(shut_from))
        page.get_by_label("To day (inclusive)").fill(str(shut_to))
        save(page)

        sign_in(page, "anna")
        page.goto("/housing/")
        page.locator("summary", has_text="Link me to a premise").click()
        page.locator("#id_building").select_option(label=ADDRESS)
        page.get_by_label("Flat or premise number").fill("1")
        page.get_by_label("I am").select_option(value="owner")
        page.get_by_label("Ownership document number").fill("77/22-1")
        page.get_by_role("button", name="Send to the administrator").click()
        expect(page.get_by_text("Your request was sent to the building administrator.")).to_be_visible()

        sign_in(page, "housing")
        claim = page.locator("tr", has_text=f"{ADDRESS}, 1")
        expect(claim.get_by_test_id("register-owner")).to_have_text("Anna Petrova")
        claim.get_by_role("button", name="Confirm").click()
        expect(page.get_by_text("The link was confirmed.")).to_be_visible()

        # The building's window is shut today (the city's is open): no reading form for Anna.
        sign_in(page, "anna")
        page.goto("/housing/")
        page.get_by_role("link", name="Submit or view CW-22-1").click()
        expect(page.get_by_role("heading", name=re.compile("CW-22-1"))).to_be_visible()
        expect(page.get_by_label("Value")).to_have_count(0)
        meter_url = page.url
        sign_in(page, "housing")
        page.goto("/console/housing/readingwindow/")
        page.get_by_role("link", name="cold water", exact=False).first.click()
        open_from, open_to = window_around(today.day)
        page.get_by_label("From day").fill(str(open_from))
        page.get_by_label("To day (inclusive)").fill(str(open_to))
        save(page)
        sign_in(page, "anna")
        page.goto(meter_url)
        page.get_by_label("Value").fill("15.5")
        page.get_by_role("button", name="Submit").click()
        expect(page.get_by_text("Reading accepted.")).to_be_visible()

        # Anna calls a meeting: voting starts 12 days after the notice and lasts a week.
        starts = dt.datetime.combine(today + dt.timedelta(days=12), dt.time(10, 0))
        ends = starts + dt.timedelta(days=7)
        page.goto("/housing/meetings/new/")
        page.locator("#id_building").select_option(label=ADDRESS)
        page.get_by_label("Title").fill("Attic and roof")
        page.get_by_label("Form of the meeting").select_option(value="electronic")
        page.locator("#id_starts_at").fill(starts.strftime("%Y-%m-%dT%H:%M"))
        page.locator("#id_ends_at").fill(ends.strftime("%Y-%m-%dT%H:%M"))
        page.locator("#id_subject_1").fill("Join the attic to flat 1")
        page.locator("#id_threshold_1").select_option(value="unanimous")
        page.locator("#id_subject_2").fill("Lease the roof to a mobile operator")
        page.locator("#id_threshold_2").select_option(value="two_thirds")
        page.locator("#id_materials").set_input_files(
            files=[{"name": "attic-plan.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 plan"}]
        )
        page.get_by_role("button", name="Call the meeting").click()
        expect(page.get_by_text("The meeting is called; the owners are notified.")).to_be_visible()
        agenda = page.locator("ol").last
        expect(agenda).to_contain_text("art. 36 part 3")  # unanimity: reducing the common property
        expect(agenda).to_contain_text("art. 44 part 2")  # two thirds
        expect(page.get_by_role("link", name="attic-plan.pdf")).to_be_visible()
        meeting = Meeting.objects.get(title="Attic and roof", building=building)

        # Boris is notified: in his notification centre and by e-mail (the board has it too).
        sign_in(page, "boris")
        page.goto("/notifications/")
        expect(page.get_by_role("main")).to_contain_text("Owners' meeting: Attic and roof")
        assert any(
            "Attic and roof" in message.subject and people["boris"].email in message.to
            for message in mail.outbox
        )

        clock.move_to(timezone.make_aware(starts + dt.timedelta(hours=1)))
        sign_in(page, "housing")
        page.goto(f"/housing/admin/meetings/{meeting.pk}/")
        page.get_by_role("link", name=re.compile("Proxy 2 Clara Kuznetsova")).click()
        page.locator("#id_proxy").fill("gleb")
        page.locator("#id_power_of_attorney").fill("77 AA 0001")
        page.locator("#id_document").set_input_files(
            files=[
                {"name": "poa.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 power of attorney"}
            ]
        )
        page.locator("button[type=submit]").last.click()
        expect(page.get_by_text("The proxy may now vote for this owner.")).to_be_visible()

        sign_in(page, "anna")
        page.goto(f"/housing/meetings/{meeting.pk}/")
        vote(page, choices=("for", "for"), weight="60.00")
        expect(page.get_by_test_id("voted")).to_be_visible()

        sign_in(page, "gleb")
        page.goto(f"/housing/meetings/{meeting.pk}/")
        page.get_by_label(re.compile("Clara Kuznetsova")).uncheck()  # his own half first
        vote(page, choices=("for", "for"), weight="20.00")
        expect(page.get_by_test_id("voted-partly")).to_be_visible()
        vote(page, choices=("for", "against"), weight="20.00", proxy=True)  # then for Clara, as she said
        expect(page.get_by_test_id("voted")).to_be_visible()

        sign_in(page, "boris")
        page.goto(f"/housing/meetings/{meeting.pk}/")
        vote(page, choices=("against", "for"), weight="50.00")

        clock.move_to(timezone.make_aware(ends + dt.timedelta(minutes=1)))
        services_meetings.meetings_advance()
        sign_in(page, "boris")
        page.goto(f"/housing/meetings/{meeting.pk}/")
        results = page.get_by_test_id("results")
        # Unanimity fails on Boris's "against"; two thirds: 130 of 150 votes for.
        expect(results.locator("tbody tr").nth(0)).to_contain_text("not adopted")
        expect(results.locator("tbody tr").nth(1)).to_contain_text("86.67")
        expect(results.locator("tbody tr").nth(1)).not_to_contain_text("not adopted")
        with page.expect_download() as download_info:
            page.get_by_test_id("protocol").click(modifiers=["Alt"])
        pdf = download_info.value.path().read_bytes()
        assert pdf[:4] == b"%PDF"
        # Lines of the PDF come back without the space where they wrapped: compare without spaces.
        text = "".join(pdf_text(pdf).split())
        for expected in (
            "Protocol of the owners' general meeting",
            f"{ADDRESS}: Attic and roof",
            "Called by the owner: Anna P.",
            "absentee, electronic voting on the platform (art. 47.1)",
            "All votes (total area of the premises, m²): 150. Votes taking part: 150 (100.00%)",
            "Join the attic to flat 1",
            "Lease the roof to a mobile operator",
            "art. 36 part 3",
            "Clara Kuznetsova",
        ):
            assert "".join(expected.split()) in text, expected
        assert text.count("notadopted") == 1
        page.get_by_role("link", name="Register of decisions").click()
        expect(page.locator("tbody")).to_contain_text("Lease the roof to a mobile operator")
        expect(page.locator("tbody")).not_to_contain_text("Join the attic")
