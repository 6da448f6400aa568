"""API authentication: bearer tokens for apps, the session (with CSRF) for the site."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from gorod.accounts import selectors
from gorod.accounts.auth_keys import bearer_token


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        # The rate limit in front of the API has usually looked the token up already.
        resident = selectors.token_resident(bearer_token(request, token))
        if resident is not None:
            request.user = resident
        return resident


api_auth = [TokenAuth(), SessionAuth()]


def _anyone(request: HttpRequest) -> Any:
    """Last in the auth chain: lets anonymous readers through as AnonymousUser."""
    return getattr(request, "user", None) or AnonymousUser()


# Public endpoints that still recognise a signed-in resident (token or session).
public_or_signed_in = [*api_auth, _anyone]


def is_public_auth(callbacks: Any) -> bool:
    """Whether an operation's auth chain lets anonymous readers through (``public_or_signed_in``)."""
    return _anyone in list(callbacks or [])
