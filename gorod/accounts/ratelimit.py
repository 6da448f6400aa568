"""Rate limits on sign-in, sign-up, password reset, every write to /api/v1 and every other form
post of the site (ballots, readings, donations, comments, the console), per account and per
address, answered with 429 and ``Retry-After``.

Fixed windows counted in Django's cache (``cache.add`` then ``cache.incr``, atomic in the
local-memory, Memcached and Redis backends). With several app servers, point ``CACHES`` at a
shared cache so that the counts are shared too. Limits come from ``GOROD_RATE_LIMITS``:
``{scope: {"account": (count, seconds), "address": (count, seconds)}}``; each can be changed by an
environment variable (see settings). Health, readiness and metrics are never limited.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from gorod.accounts.auth_keys import account_key, client_address, login_key
from gorod.core.logs import log_action

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
EXEMPT = ("/healthz", "/readyz", "/metrics", "/static/")


@dataclass(frozen=True)
class Refusal:
    scope: str
    kind: str
    retry_after: int


def scope_of(request: HttpRequest) -> str | None:
    if request.method not in WRITE_METHODS or request.path.startswith(EXEMPT):
        return None
    path = request.path
    if path.startswith("/api/v1/"):
        return "api_write"
    if path.startswith("/accounts/sign-in/"):
        return "sign_in"
    if path.startswith("/accounts/sign-up/"):
        return "sign_up"
    if path.startswith("/accounts/password-reset/"):
        return "password_reset"
    return "page_write"


def _account_of(request: HttpRequest, scope: str) -> str:
    if scope == "api_write":
        return account_key(request)
    if scope == "page_write":
        user = getattr(request, "user", None)
        return f"user:{user.pk}" if user is not None and user.is_authenticated else ""
    if scope in ("sign_in", "password_reset"):
        # Whom the attempt is about, before anyone is signed in: the account behind the login,
        # e-mail or phone typed, whichever spelling was used.
        key = login_key(request.POST.get("username") or request.POST.get("email") or "")
        return "login:" + hashlib.sha256(key.encode()).hexdigest()[:32] if key else ""
    return ""


def _hit(scope: str, kind: str, ident: str, limit: int, window: int, now: float) -> int | None:
    """Count one request; the seconds to wait when this one is over the limit, else None."""
    index = int(now // window)
    key = f"rl:{scope}:{kind}:{ident}:{index}"
    # Count first: the window's counter exists for all but its first request, so this is one
    # cache call per request instead of an add (that fails) and then the count.
    try:
        count = cache.incr(key)
    except ValueError:  # the window's first request (or the counter just expired)
        if cache.add(key, 1, timeout=window + 1):
            count = 1
        else:  # another request opened the window in between
            try:
                count = cache.incr(key)
            except ValueError:
                count = 1
    if count > limit:
        return max(1, math.ceil((index + 1) * window - now))
    return None


def check(request: HttpRequest, scope: str) -> Refusal | None:
    limits = settings.GOROD_RATE_LIMITS.get(scope, {})
    now = time.time()
    idents = {"address": client_address(request), "account": _account_of(request, scope)}
    refusal = None
    for kind in ("account", "address"):  # every count moves, so an attacker cannot dodge one
        if kind not in limits or not idents[kind]:
            continue
        limit, window = limits[kind]
        wait = _hit(scope, kind, idents[kind], int(limit), int(window), now)
        if wait is not None and refusal is None:
            refusal = Refusal(scope=scope, kind=kind, retry_after=wait)
    return refusal


def refusal_response(request: HttpRequest, refusal: Refusal) -> HttpResponse:
    message = _("Too many requests. Please wait %(seconds)s seconds and try again.") % {
        "seconds": refusal.retry_after
    }
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {
                "code": "rate_limited",
                "message": message,
                "details": {"scope": refusal.scope, "per": refusal.kind, "retry_after": refusal.retry_after},
            },
            status=429,
        )
    else:
        body = render_to_string("accounts/rate_limited.html", {"message": message}, request=request)
        response = HttpResponse(body, status=429)
    response["Retry-After"] = str(refusal.retry_after)
    return response


class RateLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.GOROD_RATE_LIMITS_ENABLED:
            scope = scope_of(request)
            if scope is not None:
                refusal = check(request, scope)
                if refusal is not None:
                    log_action("rate_limited", scope=refusal.scope, per=refusal.kind, path=request.path)
                    return refusal_response(request, refusal)
        return self.get_response(request)
