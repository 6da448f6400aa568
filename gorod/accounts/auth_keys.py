"""Who is writing, before the view runs: the resident behind a bearer token or the session.
Used by the rate limits and the Idempotency-Key store, which both sit in front of the API, and
by the API's token auth: the token is looked up once per request and kept on the request."""

from __future__ import annotations

from django.http import HttpRequest

from gorod.accounts import selectors
from gorod.accounts.models import ApiToken

_REQUEST_MEMO = "_gorod_bearer_token"


def bearer_token(request: HttpRequest, plain: str) -> ApiToken | None:
    """The live token for ``plain``, looked up at most once per request."""
    memo = getattr(request, _REQUEST_MEMO, None)
    if memo is not None and memo[0] == plain:
        return memo[1]  # type: ignore[no-any-return]
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
