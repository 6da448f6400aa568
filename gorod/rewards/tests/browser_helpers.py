"""Browser helpers for this app's Playwright tests (the web layer's own helpers sit above us in
the layers, so they are not imported here; axe-core is read from the web app's vendored copy)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

AXE = Path(__file__).resolve().parents[2] / "web" / "tests" / "vendor" / "axe.min.js"


def sign_in(page: Any, username: str, password: str = "pass-word-123") -> None:
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
