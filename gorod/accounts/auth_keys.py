"""Who is writing, before the view runs: the resident behind a bearer token or the session, the
account a sign-in attempt is about, and the client's address behind the proxy. Used by the rate
limits, the sign-in lockout (django-axes) and the Idempotency-Key store, which all sit in front of
the views, and by the API's token auth: the token is looked up once per request and kept on the
request."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from gorod.accounts import selectors
from gorod.accounts.models import ApiToken

_REQUEST_MEMO = "_gorod_bearer_token"


def bearer_token(request: HttpRequest, plain: str) -> ApiToken | None:
    """The live token for ``plain``, looked up at most once per request."""
    memo = getattr(request, _REQUEST_MEMO, None)
    if memo is not None and memo[0] == plain:
        return memo[1]
    token = selectors.live_token(plain)
    setattr(request, _REQUEST_MEMO, (plain, token))
    return token


def resident_id_of(request: HttpRequest) -> int | None:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        token = bearer_token(request, header[7:].strip())
        return token.resident_id if token is not None else None
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return int(user.pk)
    return None


def account_key(request: HttpRequest) -> str:
    resident_id = resident_id_of(request)
    return f"resident:{resident_id}" if resident_id is not None else ""


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or the entry ``GOROD_TRUSTED_PROXY_COUNT`` hops from the
    right of X-Forwarded-For when we sit behind that many trusted proxies (nginx appends the
    address it saw, see docs/deploy). Entries further left are the client's own word and are
    never trusted: a client cannot pick the address its attempts are counted against."""
    hops = settings.GOROD_TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if hops and forwarded:
        chain = [part.strip() for part in forwarded.split(",") if part.strip()]
        if chain:
            return chain[-min(hops, len(chain))]
    return str(request.META.get("REMOTE_ADDR", ""))


def login_key(typed: str) -> str:
    """The account a typed login is about, so that ``Boris``, ``BORIS``, his e-mail and his phone
    all count against one lockout and one rate limit: the account's own login when one matches
    (the same lookup the sign-in backend makes), else the typed text in lower case."""
    login = typed.strip()
    if not login:
        return ""
    resident = selectors.resident_by_login(login)
    if resident is not None:
        return resident.username
    return login.lower()


def sign_in_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str:
    """django-axes' AXES_USERNAME_CALLABLE: lock on the account, not on the typed string."""
    typed = (credentials or {}).get("username") or request.POST.get("username") or ""
    return login_key(str(typed))
