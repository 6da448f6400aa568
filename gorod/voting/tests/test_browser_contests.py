"""A resident sends a photo to the demo contest, a moderator publishes it, and a neighbour votes
for it; the gallery shows the district, never the author's name."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from gorod.accounts import demo as accounts_demo
from gorod.voting.contests import demo as demo_contests
from gorod.voting.contests.models import ContestPhoto, PhotoVote
from gorod.voting.tests.test_browser import serious_accessibility_violations, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("points_defaults"),
]


def test_photo_is_sent_moderated_and_voted_for(browser_page, tmp_path):
    page = browser_page
    accounts_demo.seed()
    demo_contests.seed()
    photo_file = tmp_path / "rowan.jpg"
    photo_file.write_bytes(demo_contests.demo_photo((240, 200, 160), (200, 60, 40)).getvalue())

    sign_in(page, "anna", accounts_demo.DEMO_PASSWORD)
    page.goto("/voting/contests/")
    page.get_by_role("link", name=demo_contests.OPEN_TITLE).click()
    contest_url = page.url
    page.get_by_label("Photo (JPEG, PNG or WebP)").set_input_files(str(photo_file))
    page.get_by_label("Title (optional)").fill("Rowan berries")
    page.get_by_role("button", name="Send for moderation").click()
    page.get_by_text("Your photo will appear once a moderator has checked it.").wait_for()
    assert serious_accessibility_violations(page) == []

    page.context.clear_cookies()
    sign_in(page, "moderator", accounts_demo.DEMO_PASSWORD)
    page.goto("/voting/contests/moderation/")
    page.locator("li.card").filter(has_text="Rowan berries").get_by_role("button", name="Publish").click()
    page.get_by_text("The photo is published.").wait_for()

    page.context.clear_cookies()
    sign_in(page, "gleb", accounts_demo.DEMO_PASSWORD)
    page.goto(contest_url)
    card = page.get_by_test_id("contest-photo").filter(has_text="Rowan berries")
    assert "Resident of Arbat" in card.inner_text()
    assert (
        "Anna" not in page.locator("main").inner_text() and "Petrova" not in page.locator("main").inner_text()
    )
    card.get_by_role("button").click()
    page.get_by_text("Your vote is counted.").wait_for()
    expect(
        page.get_by_test_id("contest-photo").filter(has_text="Rowan berries").get_by_text("You voted")
    ).to_be_visible()
    assert serious_accessibility_violations(page) == []
    photo = ContestPhoto.objects.get(title="Rowan berries")
    assert PhotoVote.objects.filter(photo=photo).count() == 1
