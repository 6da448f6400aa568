"""Helpers for Playwright tests: sign in through the real form, check accessibility with axe."""

from __future__ import annotations

from pathlib import Path
from typing import Any

AXE = Path(__file__).parent / "vendor" / "axe.min.js"


def sign_in(page: Any, username: str, password: str = "pass-word-123") -> None:
    page.goto("/accounts/sign-in/")
    page.get_by_label("Login, e-mail or phone").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


def serious_accessibility_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the current page (should be empty)."""
    # Evaluated through the DevTools protocol, not added as an inline <script>: the site's CSP
    # (rightly) refuses inline scripts.
    page.evaluate(AXE.read_text())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
