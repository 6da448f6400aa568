"""The Content-Security-Policy (no inline scripts or styles) breaks nothing: every page we ship,
the console included, loads in chromium without a single CSP violation."""

from __future__ import annotations

import pytest

from gorod.accounts.tests.factories import ResidentFactory
from gorod.web.tests.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs before any page script (the DevTools protocol is not subject to the page's CSP).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sourceFile || '') + ':' + e.lineNumber);
});
"""

PUBLIC = [
    "/",
    "/accounts/sign-in/",
    "/accounts/sign-up/",
    "/accounts/password-reset/",
    "/points/how/",
    "/voting/",
    "/voting/decisions/",
    "/voting/discussions/",
    "/missions/",
    "/rewards/",
    "/rewards/map/",
    "/rewards/charity/",
    "/problems/",
    "/problems/statistics/",
    "/pets/",
]
RESIDENT = [
    "/",
    "/points/",
    "/notifications/",
    "/notifications/preferences/",
    "/accounts/profile/",
    "/rewards/orders/",
    "/housing/",
    "/housing/bills/",
    "/problems/new/",
    "/problems/mine/",
    "/pets/new/",
    "/privacy/",
]
STAFF = [
    "/console/",
    "/console/accounts/resident/",
    "/console/accounts/resident/add/",
    "/console/accounts/auditentry/",
    "/api/v1/docs",
]


def _violations(page, paths: list[str]) -> dict[str, list[str]]:
    found = {}
    for url in paths:
        response = page.goto(url)
        assert response is not None and response.status < 500, url
        assert "content-security-policy" in response.headers, url
        page.wait_for_load_state("networkidle")
        violations = page.evaluate("window.__cspViolations")
        if violations:
            found[url] = violations
    return found


def test_no_page_violates_the_content_security_policy(browser_page):
    page = browser_page
    page.context.add_init_script(RECORD_VIOLATIONS)
    assert _violations(page, PUBLIC) == {}
    ResidentFactory(username="csp-resident")
    sign_in(page, "csp-resident")
    assert _violations(page, RESIDENT) == {}


def test_console_and_api_docs_keep_the_policy(browser_page):
    page = browser_page
    page.context.add_init_script(RECORD_VIOLATIONS)
    ResidentFactory(username="csp-admin", is_staff=True, is_superuser=True)
    sign_in(page, "csp-admin")
    assert _violations(page, STAFF) == {}
