"""Phone first, checked: a crawler signs in as each role of the demo city, follows same-site links
(bounded) and fails when any page is wider than a 320 or 390 px phone screen (issue 23).

One chromium, one tab: each page loads once and is measured at both widths (a viewport change
re-lays it out without a reload). The failure lists every page with the elements that stick out.
"""

from __future__ import annotations

import re
from collections import deque
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "gorod-demo-2026"
WIDTHS = (320, 390)
# Each role of the demo seed, with the pages its work starts from besides the home page.
ROLES = {
    "visitor": ("", ["/", "/accounts/sign-in/", "/accounts/sign-up/"]),
    "resident": ("anna", ["/", "/accounts/profile/", "/housing/bills/"]),
    "operator": ("operator", ["/"]),
    "moderator": ("moderator", ["/"]),
    "partner desk": ("partner", ["/rewards/desk/", "/rewards/partner/orders/"]),
    "building administrator": ("housing", ["/housing/", "/housing/admin/"]),
    "responsible organisation": ("responder", ["/problems/queue/"]),
}
MAX_PAGES_PER_ROLE = 45
# Pages of one shape (/voting/polls/1/, /voting/polls/2/, ...) share a template: two of each suffice.
MAX_PER_SHAPE = 2
SKIP = re.compile(
    r"^/(console|api|static|media|i18n|open311|healthz|readyz|metrics)(/|$)"
    r"|sign-out|/unsubscribe/|\.(pdf|csv|json|geojson|ics|xlsx|zip|png|jpe?g|svg)$|/export|/download|/protocol"
)

OVERFLOW_JS = """() => {
  const width = window.innerWidth;
  const out = [];
  if (document.documentElement.scrollWidth <= width) return {scrollWidth: document.documentElement.scrollWidth, out};
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.right <= width + 1) continue;
    // report the innermost culprits, not every ancestor that contains one
    if ([...el.children].some(c => c.getBoundingClientRect().right > width + 1)) continue;
    let name = el.tagName.toLowerCase();
    if (el.id) name += '#' + el.id;
    if (el.classList.length) name += '.' + [...el.classList].join('.');
    out.push(`${name} (right edge ${Math.round(box.right)} px: "${(el.textContent || '').trim().slice(0, 40)}")`);
    if (out.length >= 5) break;
  }
  return {scrollWidth: document.documentElement.scrollWidth, out};
}"""


def shape(path: str) -> str:
    return re.sub(r"/[0-9a-f-]{6,}/|/\d+/", "/<id>/", path)


def sign_in_as(page: Any, username: str) -> None:
    page.context.clear_cookies()
    if not username:
        return
    page.goto("/accounts/sign-in/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert "/accounts/sign-in/" not in page.url, f"{username} could not sign in"


def same_site_links(page: Any) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")
    paths = []
    for href in hrefs:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path.startswith("/") or SKIP.search(parts.path):
            continue
        paths.append(parts.path)
    return paths


def crawl(page: Any, role: str, starts: list[str]) -> tuple[list[str], int]:
    """Visit the role's reachable pages; return the overflow (and server error) findings."""
    findings: list[str] = []
    queue, seen, shapes = deque(starts), set(starts), {}  # type: ignore[var-annotated]
    visited = 0
    while queue and visited < MAX_PAGES_PER_ROLE:
        path = queue.popleft()
        try:
            response = page.goto(path, wait_until="domcontentloaded")
        except Exception:  # a download or an aborted navigation: nothing to lay out
            continue
        visited += 1
        if response is not None and response.status >= 500:
            findings.append(f"{role} {path}: HTTP {response.status}")
            continue
        if response is None or "text/html" not in (response.headers.get("content-type") or ""):
            continue
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            result = page.evaluate(OVERFLOW_JS)
            if result["scrollWidth"] > width:
                findings.append(
                    f"{role} {path} at {width} px: page is {result['scrollWidth']} px wide; "
                    + "; ".join(result["out"])
                )
        for link in same_site_links(page):
            key = shape(link)
            if link in seen or shapes.get(key, 0) >= MAX_PER_SHAPE:
                continue
            seen.add(link)
            shapes[key] = shapes.get(key, 0) + 1
            queue.append(link)
    return findings, visited


def test_no_page_overflows_a_phone_screen_for_any_role(browser_page, settings):
    settings.GOROD_STAFF_SECOND_FACTOR = False  # staff sign in with a password, as in the demo
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    page = browser_page
    page.set_default_timeout(20_000)
    findings, total = [], 0
    for role, (username, starts) in ROLES.items():
        sign_in_as(page, username)
        found, visited = crawl(page, role, starts)
        findings += found
        total += visited
        assert visited >= 3, f"{role} reached only {visited} pages"
    assert total >= 60, f"the crawl reached only {total} pages"
    assert findings == [], "pages wider than a phone:\n" + "\n".join(findings)
