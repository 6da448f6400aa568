"""A resident comments on a project under public discussion, a moderator publishes the comment,
and an anonymous visitor sees it as written by a resident of the district, without the name."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from gorod.accounts import demo as accounts_demo
from gorod.voting.discussions import demo as demo_discussions
from gorod.voting.tests.test_browser import serious_accessibility_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The map script must run under the site's CSP (no inline scripts or styles).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""
COMMENT = "Please plant lime trees along the side streets. My phone is +7 916 555-44-33."


def test_comment_is_moderated_and_published_without_the_name(browser_page):
    page = browser_page
    page.context.add_init_script(RECORD_VIOLATIONS)
    accounts_demo.seed()
    demo_discussions.seed()

    sign_in(page, "anna", accounts_demo.DEMO_PASSWORD)
    page.goto("/voting/discussions/")
    page.get_by_role("link", name=demo_discussions.OPEN_TITLE).click()
    page.wait_for_selector("#discussion-map[data-loaded]")
    assert page.evaluate("window.__cspViolations") == []
    discussion_url = page.url
    page.get_by_label("Comment", exact=True).fill(COMMENT)
    page.get_by_role("button", name="Send for moderation").click()
    page.get_by_text("Your comment will appear once a moderator has checked it.").wait_for()
    expect(
        page.get_by_test_id("my-comment").filter(has_text="lime trees").get_by_text("awaiting moderation")
    ).to_be_visible()
    assert page.get_by_test_id("public-comment").filter(has_text="lime trees").count() == 0
    assert serious_accessibility_violations(page) == []

    page.context.clear_cookies()
    sign_in(page, "moderator", accounts_demo.DEMO_PASSWORD)
    page.goto("/voting/discussions/moderation/")
    card = page.locator("section.card").filter(has_text="lime trees")
    assert "555-44-33" in card.inner_text()  # moderators read what was written; the public does not
    assert serious_accessibility_violations(page) == []
    card.get_by_role("button", name="Publish").click()
    page.get_by_text("The comment is published.").wait_for()

    page.context.clear_cookies()
    page.goto(discussion_url)
    published = page.get_by_test_id("public-comment").filter(has_text="lime trees")
    published.wait_for()
    assert "Resident of Arbat" in published.inner_text()
    body = page.locator("main").inner_text()
    for private in ("Anna", "Petrova", "anna@demo.gorod.local", "555-44-33"):
        assert private not in body
    assert serious_accessibility_violations(page) == []
