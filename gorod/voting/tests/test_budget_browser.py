"""In Debian's chromium: a participatory budget round from proposals to funded decisions. The
operator moves the round on its own page (each move confirmed), reviews the projects (one is
rejected with its reason), a resident votes within the budget with the running total shown, and
the funded projects appear on the decisions map."""

from __future__ import annotations

import datetime as dt
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
    advance(page, budget_round.pk, "opens for voting")
    sign_out(page)

    sign_in(page, "anna", accounts_demo.DEMO_PASSWORD)
    page.goto(f"/voting/budgets/{budget_round.pk}/")
    assert serious_accessibility_violations(page) == []
    page.get_by_test_id("budget-vote").click()
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
    expect(page.get_by_text("Playground").first).to_be_visible()
    expect(page.get_by_text("Toilet").first).to_be_visible()
    assert BudgetRound.objects.get(pk=budget_round.pk).phase == "implementation"
