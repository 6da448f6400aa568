"""The WSGI application: Django's handler, with a shorter middleware chain for the API's apps.

An app's request to /api/ signed by a bearer token and carrying no cookie has no session, no
CSRF token to check, no flash message, no htmx and no second-factor page: the session's
middleware only finds there is nothing to do, and the ballot, the API's busiest write, paid for
25 nested middleware calls (issue 29). Such a request is answered by a second handler built from
``MIDDLEWARE`` without ``GOROD_NOT_FOR_BEARER_API`` (each one's reason is given there); every other
request, and any request with a cookie, goes through the whole chain as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import django
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import patch_vary_headers


def is_bearer_api(environ: dict[str, Any]) -> bool:
    return (
        environ.get("PATH_INFO", "").startswith("/api/")
        and not environ.get("HTTP_COOKIE")
        and environ.get("HTTP_AUTHORIZATION", "")[:7].lower() == "bearer "
    )


class BearerApiHandler(WSGIHandler):
    """Django's handler with the middleware a cookie-less, token-signed API request can need."""

    def load_middleware(self, is_async: bool = False) -> None:
        full = settings.MIDDLEWARE
        settings.MIDDLEWARE = [name for name in full if name not in settings.GOROD_NOT_FOR_BEARER_API]
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = full

    def get_response(self, request: HttpRequest) -> HttpResponseBase:
        response = super().get_response(request)
        # The whole chain reads the (empty) session on every request, so its answers say they
        # vary with the cookie: the same answers here, for the caches in front.
        patch_vary_headers(response, ("Cookie",))
        return response


class Application:
    def __init__(self) -> None:
        self.site = WSGIHandler()
        self.bearer_api = BearerApiHandler()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if is_bearer_api(environ):
            return self.bearer_api(environ, start_response)
        return self.site(environ, start_response)


def application() -> Application:
    """``django.core.wsgi.get_wsgi_application`` for this project."""
    django.setup(set_prefix=False)
    return Application()
