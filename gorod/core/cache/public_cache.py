"""A short-lived, per-process cache of public pages as signed-out visitors see them.

The home page, the poll list, the rewards catalogue and their API lists are the same for every
signed-out visitor, yet rendering them costs several times a ballot. ``public_cache`` keeps each
one's response body for GOROD_PUBLIC_CACHE_SECONDS (0 turns it off); a signed-in resident, a
request carrying a bearer token or a pending message always gets a fresh page, so residents
see their own votes and points at once. Signed-out visitors may see a list up to that many
seconds old; every write re-checks the state it acts on, so a stale list never lets one through.
Signed-in pages are rendered each time, their shared parts read through gorod.core.cache.shared_cache.

The store lives in the process (a dict, no pickling, no round trip): each worker renders each
page at most once per interval. The CSRF token is the one per-visitor part of a site page: the
page is rendered with a placeholder in its place (``csrf_placeholder`` context processor) and
each visitor's own token is put in when the page is served.
"""

from __future__ import annotations

import functools
import secrets
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation

# Alphanumeric, so HTML escaping leaves it as it is; random per process, so page text cannot
# contain it by accident.
CSRF_PLACEHOLDER = "csrf" + secrets.token_hex(16)
_RENDERING = "_gorod_public_cache_rendering"
# Query strings vary (filters, pages); the store is bounded and forgets its oldest entry first.
MAX_ENTRIES = 512


class _Entry:
    __slots__ = ("content", "expires", "has_token", "headers", "status")

    def __init__(self, response: HttpResponse, expires: float) -> None:
        self.content = response.content
        self.status = response.status_code
        # the token put in for the placeholder changes the length: let the server count it again
        self.headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
        self.expires = expires
        self.has_token = CSRF_PLACEHOLDER.encode() in self.content


_store: dict[tuple[str, ...], _Entry] = {}


def clear() -> None:
    _store.clear()


def _cacheable(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD") or "HTTP_AUTHORIZATION" in request.META:
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    return not len(get_messages(request))


def _serve(request: HttpRequest, entry: _Entry) -> HttpResponse:
    content = entry.content
    if entry.has_token:
        content = content.replace(CSRF_PLACEHOLDER.encode(), get_token(request).encode())
    response = HttpResponse(content, status=entry.status)
    for name, value in entry.headers.items():
        response[name] = value
    return response


def public_cache(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve signed-out visitors a copy of this view's page rendered at most
    GOROD_PUBLIC_CACHE_SECONDS ago (per path, query, language and time zone)."""
    name = f"{view.__module__}.{view.__qualname__}"

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        seconds = settings.GOROD_PUBLIC_CACHE_SECONDS
        if seconds <= 0 or not _cacheable(request):
            return view(request, *args, **kwargs)
        key = (
            name,
            request.get_full_path(),
            translation.get_language() or "",
            timezone.get_current_timezone_name(),
            request.headers.get("HX-Request", ""),
        )
        now = time.monotonic()
        entry = _store.get(key)
        if entry is not None and entry.expires > now:
            return _serve(request, entry)
        setattr(request, _RENDERING, True)
        try:
            response = view(request, *args, **kwargs)
        finally:
            delattr(request, _RENDERING)
        if response.status_code != 200 or response.streaming or response.cookies:
            return response
        entry = _Entry(response, now + seconds)
        _store.pop(key, None)
        if len(_store) >= MAX_ENTRIES:
            del _store[next(iter(_store))]
        _store[key] = entry
        return _serve(request, entry)

    return wrapped


def is_rendering(request: HttpRequest) -> bool:
    """Whether this request's page is being rendered to be kept for every signed-out visitor."""
    return bool(getattr(request, _RENDERING, False))


def csrf_placeholder(request: HttpRequest) -> dict[str, Any]:
    """Context processor: while ``public_cache`` renders a page to keep, its CSRF token is a
    placeholder that each visitor's own token replaces when the page is served."""
    if is_rendering(request):
        return {"csrf_token": CSRF_PLACEHOLDER}
    return {}
