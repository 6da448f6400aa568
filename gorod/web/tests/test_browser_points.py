"""A resident signs in with the real form in Debian's chromium and sees balance and statement."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from gorod.accounts.tests.factories import ResidentFactory
from gorod.points import services
from gorod.web.tests.browser import serious_accessibility_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[3] / "test-artifacts"


def test_resident_sees_balance_and_statement(browser_page):
    resident = ResidentFactory(username="anna", level="full")
    for n in range(3):
        services.award(resident=resident, programme="active_citizen", action="vote", source_key=f"vote:{n}")
    services.award(
        resident=resident, programme="electronic_home", action="meter_reading", source_key="reading:1"
    )
    page = browser_page
    sign_in(page, "anna")
    expect(page.get_by_role("heading", name="Your points")).to_be_visible()
    page.get_by_role("link", name="My points").click()
    assert page.get_by_test_id("available").inner_text() == "80"
    rows = page.locator("tbody tr")
    assert rows.count() == 4
    assert "Submit a meter reading" in rows.first.inner_text()
    assert "+20" in rows.first.inner_text()
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "points-statement.png"), full_page=True)
    assert serious_accessibility_violations(page) == []
    page.goto("/points/how/")
    expect(page.get_by_role("heading", name="Where points come from and where they go")).to_be_visible()
    assert serious_accessibility_violations(page) == []


def test_wrong_password_shows_an_error_and_keeps_you_out(browser_page):
    ResidentFactory(username="boris")
    page = browser_page
    page.goto("/accounts/sign-in/")
    page.get_by_label("Login, e-mail or phone").fill("boris")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".errorlist")).to_be_visible()
    page.goto("/points/")
    assert "/accounts/sign-in/" in page.url


def test_demo_resident_signs_in_with_the_printed_password(browser_page):
    from gorod.accounts import demo as accounts_demo
    from gorod.accounts.demo import DEMO_PASSWORD
    from gorod.points import demo as points_demo

    accounts_demo.seed()
    points_demo.seed()
    page = browser_page
    sign_in(page, "anna", DEMO_PASSWORD)
    page.get_by_role("link", name="My points").click()
    assert int(page.get_by_test_id("available").inner_text().replace(",", "")) == 80  # 3 votes + a reading
    assert "Demo city history" in page.locator("tbody").inner_text()
