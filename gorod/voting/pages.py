"""Small helpers the resident pages of every voting sub-domain share."""

from __future__ import annotations

from django.http import HttpRequest


def is_htmx(request: HttpRequest) -> bool:
    """Whether htmx sent the request (the page answers with a fragment, not a whole page)."""
    return bool(getattr(request, "htmx", False))


def page_number(request: HttpRequest) -> int:
    """The ``page`` query parameter, 1 when missing or absurd."""
    raw = request.GET.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 10_000 else 1
