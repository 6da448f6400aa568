"""API authentication: bearer tokens for apps, the session (with CSRF) for the site."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from gorod.accounts import selectors


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        resident = selectors.resident_for_token(token)
        if resident is not None:
            request.user = resident
        return resident


api_auth = [TokenAuth(), SessionAuth()]
