from __future__ import annotations

import pytest
from playwright.sync_api import expect

from gorod.accounts.tests.factories import ResidentFactory
from gorod.missions import services
from gorod.missions.tests.conftest import make_challenge, restore_ledger_data, sign_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_joining_a_challenge_and_seeing_points_land_up_to_the_cap(browser_page, live_server):
    restore_ledger_data()
    page = browser_page
    resident = ResidentFactory(level="standard")
    operator = ResidentFactory(level="full", roles=["operator"], is_staff=True)
    challenge = make_challenge(title="Sport norms of the city", goal_amount=20)
    sign_in_browser(page, live_server, resident)
    page.goto("/missions/")
    page.get_by_role("link", name="Sport norms of the city").click()
    page.get_by_role("button", name="Join the challenge").click()
    expect(page.get_by_text("You joined the challenge.")).to_be_visible()
    assert page.get_by_test_id("points-earned").inner_text() == "0"
    assert "15,000" in page.get_by_test_id("remaining").inner_text()
    for n in range(1, 15):
        services.evidence_record(challenge=challenge, who=resident, key=f"norm-{n}", actor=operator)
    page.reload()
    assert page.get_by_test_id("points-earned").inner_text() == "14,000"
    assert "1,000" in page.get_by_test_id("remaining").inner_text()
    for n in range(15, 18):  # two more than the cap allows
        services.evidence_record(challenge=challenge, who=resident, key=f"norm-{n}", actor=operator)
    page.reload()
    assert page.get_by_test_id("progress").inner_text().startswith("17")
    assert page.get_by_test_id("points-earned").inner_text() == "15,000"
    assert "You can still earn 0 points" in page.get_by_test_id("remaining").inner_text()
    page.goto("/points/")
    assert page.get_by_test_id("available").inner_text() == "15,000"
