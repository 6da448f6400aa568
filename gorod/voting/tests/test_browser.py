"""A demo resident votes, keeps the receipt, sees the results after close, verifies the receipt
in the browser and finds the poll's decision on the map."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from gorod.accounts import demo as accounts_demo
from gorod.accounts.models import Resident
from gorod.voting import demo, services
from gorod.voting.decisions.services import decision_record
from gorod.voting.models import Decision, Poll

# The shell's axe-core copy (read as a file: voting's tests may not import from gorod.web).
AXE = Path(__file__).resolve().parents[2] / "web" / "tests" / "vendor" / "axe.min.js"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("points_defaults"),
]


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


def test_resident_votes_verifies_receipt_and_finds_decision(browser_page):
    page = browser_page
    accounts_demo.seed()
    demo.seed()
    poll = Poll.objects.get(title=demo.OPEN_TITLE)
    operator = Resident.objects.get(username="operator")

    sign_in(page, "anna", accounts_demo.DEMO_PASSWORD)
    page.goto("/voting/")
    page.get_by_role("link", name=demo.OPEN_TITLE).click()
    poll_url = page.url
    page.get_by_label("Trees and lawns").check()
    page.get_by_label("Benches").check()
    page.get_by_label("Night lighting").check()
    page.get_by_role("button", name="Vote").click()
    code = page.get_by_test_id("receipt-code").inner_text()
    assert page.url == poll_url  # htmx swapped the ballot in place
    assert len(code) == 23
    expect(page.get_by_text("You earned 20 points.")).to_be_visible()
    assert serious_accessibility_violations(page) == []
    # the code is kept on this device only: after a reload the page shows it again
    page.reload()
    expect(page.get_by_text("You have voted in this poll.")).to_be_visible()
    assert page.get_by_test_id("saved-receipt-code").inner_text() == code

    services.poll_close(poll_id=poll.pk, actor=operator)  # mixes the last batch, then counts
    services.poll_results_publish(poll_id=poll.pk, actor=operator)
    page.goto(poll_url)
    results = page.locator("#results")
    expect(results.get_by_text("Trees and lawns")).to_be_visible()
    expect(results.get_by_text("7 ballots", exact=True)).to_be_visible()
    # the form comes filled in with the kept code; the server is asked for a prefix, never the code
    assert page.get_by_label("Receipt code").input_value() == code
    with page.expect_request("**/receipts?prefix=*") as asked:
        page.get_by_role("button", name="Verify in my browser").click()
    assert code not in asked.value.url and len(asked.value.url.rsplit("=", 1)[1]) <= 2
    page.wait_for_selector("#verify-result[data-verified]")
    assert page.locator("#verify-result").get_attribute("data-verified") == "true"
    verdict = page.locator("#verify-result").inner_text()
    assert "included in the published count" in verdict
    assert "Trees and lawns" not in verdict  # the check never shows the choice
    page.get_by_label("Receipt code").fill("AAAAA-BBBBB-CCCCC-DDDDD")
    page.get_by_role("button", name="Verify in my browser").click()
    page.get_by_text("No ballot with this receipt code").wait_for()
    assert serious_accessibility_violations(page) == []

    decision_record(
        title="Trees and lawns on Arbat square",
        organisation="Arbat district council",
        poll=poll,
        location={"type": "Point", "coordinates": [37.5905, 55.7490]},
        actor=operator,
    )
    page.goto("/voting/decisions/?status=planned")
    page.wait_for_selector("#decision-map[data-loaded]")
    markers = page.locator("#decision-map path.leaflet-interactive")
    # the demo's planned decisions with a place: the polls' three and the funded budget projects'
    placed = Decision.objects.filter(status="planned", location__isnull=False).count()
    assert placed > 3
    assert markers.count() == int(page.locator("#decision-map").get_attribute("data-loaded")) == placed
    found = False
    for i in range(markers.count()):
        # on the marker itself: a neighbour drawn over it (the demo's budget decisions near Arbat)
        # would take a pointer click and toggle its own popup
        markers.nth(i).dispatch_event("click")
        # the previous marker's popup fades out for 200 ms before it leaves the page
        expect(page.locator(".leaflet-popup-content")).to_have_count(1)
        popup = page.locator(".leaflet-popup-content")
        popup.wait_for()
        if "Trees and lawns on Arbat square" in popup.inner_text():
            found = True
            assert demo.OPEN_TITLE in popup.inner_text()
            break
    assert found
    assert serious_accessibility_violations(page) == []
