"""In Debian's chromium: a participatory budget round from proposals to funded decisions. The
operator moves the round on its own page (each move confirmed), reviews the projects (one is
rejected with its reason) and sets two projects' places (an address of the register found by
typing, with an image; a point clicked on the map), a resident sees them on the ballot and votes
within the budget with the running total shown, and the funded projects appear on the decisions
map at their places."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gorod.accounts import demo as accounts_demo
from gorod.accounts.models import District, Resident
from gorod.voting.budgets import services
from gorod.voting.budgets.models import BudgetRound
from gorod.voting.tests.test_browser import serious_accessibility_violations, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("points_defaults"),
]

PROJECTS = [
    ("Playground", 4_000_000),
    ("Lighting", 3_000_000),
    ("Racks", 800_000),
    ("Toilet", 5_500_000),
    ("Rink", 9_000_000),
]


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), (60, 140, 90)).save(out, format="PNG")
    return out.getvalue()


def sign_out(page: Any) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def advance(page: Any, round_id: int, consequence: str) -> None:
    page.goto(f"/voting/budgets/{round_id}/")
    page.get_by_role("button", name="Move to the next phase").click()
    expect(page.get_by_test_id("consequence")).to_contain_text(consequence)
    page.get_by_role("button", name="Yes, move to the next phase").click()
    expect(page.get_by_text("The round has moved to its next phase.")).to_be_visible()


def test_a_round_from_proposals_to_funded_decisions(browser_page):
    page = browser_page
    accounts_demo.seed()
    operator = Resident.objects.get(username="operator")
    anna = Resident.objects.get(username="anna")
    now = timezone.now()
    budget_round = services.round_create(
        actor=operator,
        title="Arbat courtyards",
        budget_roubles=10_000_000,
        district=District.objects.get(pk=anna.home_district_id),
        voting_opens_at=now - dt.timedelta(hours=1),
        voting_closes_at=now + dt.timedelta(days=14),
    )
    for title, cost in PROJECTS:
        services.project_add(round_id=budget_round.pk, actor=operator, title=title, cost_roubles=cost)

    sign_in(page, "operator", accounts_demo.DEMO_PASSWORD)
    advance(page, budget_round.pk, "Proposals close")
    expect(page.get_by_test_id("budget-phase")).to_have_text("review by experts")
    for title, _cost in PROJECTS:
        card = page.get_by_test_id("budget-project").filter(has_text=title)
        if title == "Rink":
            card.get_by_label("Experts' reason (required to reject)").fill("The roof is private.")
            card.get_by_role("button", name="Reject").click()
        else:
            card.get_by_role("button", name="Feasible").click()
        expect(page.get_by_text("The experts' conclusion is recorded.")).to_be_visible()
    rink = page.get_by_test_id("budget-project").filter(has_text="Rink")
    expect(rink.get_by_test_id("review-reason")).to_contain_text("The roof is private.")
    # the Playground's place from the city's address register, with its image
    playground = page.get_by_test_id("budget-project").filter(has_text="Playground")
    playground.get_by_test_id("set-place").click()
    form = page.get_by_test_id("place-form")
    form.get_by_label("Address").fill("Arbat")
    form.locator("button.suggestion").filter(has_text="Arbat St, 10").click()
    expect(form.locator("[data-place-address-id]")).not_to_have_value("")
    form.get_by_label("Image (JPEG, PNG or WebP").set_input_files(
        files=[{"name": "playground.png", "mimeType": "image/png", "buffer": _png()}]
    )
    assert serious_accessibility_violations(page) == []
    form.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The project's place and image are saved.")).to_be_visible()
    expect(playground.get_by_test_id("project-place")).to_contain_text("Arbat St, 10")
    expect(playground.get_by_test_id("project-image")).to_be_visible()
    # the Racks: a point clicked on the map
    page.get_by_test_id("budget-project").filter(has_text="Racks").get_by_test_id("set-place").click()
    pick_map = page.locator("[data-place-pick-map]")
    expect(pick_map.locator(".leaflet-container, .leaflet-pane").first).to_be_attached()
    pick_map.click(position={"x": 120, "y": 90})
    expect(pick_map).to_have_attribute("data-picked", re.compile(r"^5[56]\.\d+,3[78]\.\d+$"))
    page.get_by_test_id("place-form").get_by_role("button", name="Save").click()
    expect(page.get_by_text("The project's place and image are saved.")).to_be_visible()
    racks = page.get_by_test_id("budget-project").filter(has_text="Racks")
    expect(racks.get_by_test_id("project-place")).to_contain_text("Marked on the map")
    advance(page, budget_round.pk, "opens for voting")
    sign_out(page)

    sign_in(page, "anna", accounts_demo.DEMO_PASSWORD)
    page.goto(f"/voting/budgets/{budget_round.pk}/")
    assert serious_accessibility_violations(page) == []
    page.get_by_test_id("budget-vote").click()
    # where each project is: the address beside it, and the projects on one map
    expect(page.get_by_test_id("ballot-place")).to_have_count(2)
    expect(page.get_by_test_id("ballot-place").first).to_contain_text("Arbat St, 10")
    expect(page.locator("#ballot .leaflet-marker-icon")).to_have_count(2)
    total = page.get_by_test_id("budget-total")
    page.get_by_label("Playground").check()
    page.get_by_label("Toilet").check()
    page.get_by_label("Racks").check()
    expect(total).to_have_text("10,300,000\u00a0₽")
    expect(page.locator("fieldset.budget-ballot")).to_have_class("budget-ballot over-budget")
    page.get_by_label("Racks").uncheck()
    expect(total).to_have_text("9,500,000\u00a0₽")
    page.get_by_role("button", name="Vote").click()
    expect(page.get_by_test_id("receipt-code")).to_be_visible()
    sign_out(page)

    sign_in(page, "operator", accounts_demo.DEMO_PASSWORD)
    advance(page, budget_round.pk, "funded by votes")
    funding = page.get_by_test_id("budget-funding")
    expect(funding.locator("tr").filter(has_text="Playground")).to_contain_text("funded")
    expect(funding.locator("tr").filter(has_text="Toilet")).to_contain_text("funded")
    expect(funding.locator("tr").filter(has_text="Lighting")).to_contain_text("no votes")
    advance(page, budget_round.pk, "becomes a decision")
    page.goto("/voting/decisions/")
    expect(
        page.locator("#decision-map .leaflet-interactive, #decision-map .leaflet-marker-icon").first
    ).to_be_attached()
    expect(page.get_by_text("Playground").first).to_be_visible()
    expect(page.get_by_text("Toilet").first).to_be_visible()
    assert BudgetRound.objects.get(pk=budget_round.pk).phase == "implementation"
