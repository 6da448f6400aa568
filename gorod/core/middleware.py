from __future__ import annotations

import functools
import logging
import re
import time
from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from gorod.core import metrics
from gorod.core.logs import current_request_id, new_request_id
from gorod.core.time import city_zone

request_log = logging.getLogger("gorod.request")
_GOOD_REQUEST_ID = re.compile(r"^[A-Za-z0-9._\-]{1,64}$")


class CityTimeMiddleware:
    """Show every time in the city's zone: stored UTC, displayed as residents live it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        timezone.activate(city_zone())
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


def endpoint_of(request: HttpRequest) -> str:
    """The URL pattern that answered (``api/v1/polls/<int:poll_id>``), not the raw path."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unmatched"
    return "/" + (match.route or match.view_name or "unknown")


class RequestIdMiddleware:
    """Give each request an id (the client's ``X-Request-ID`` if it is sane, else a new one),
    return it in ``X-Request-ID``, log one JSON line per request and count it in the metrics.
    First in the chain, so redirects, refusals and errors all carry the id."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _GOOD_REQUEST_ID.match(incoming) else new_request_id()
        request.request_id = request_id  # type: ignore[attr-defined]
        token = current_request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            elapsed = time.perf_counter() - started
            response["X-Request-ID"] = request_id
            endpoint = endpoint_of(request)
            metrics.REQUESTS.labels(endpoint, request.method, str(response.status_code)).inc()
            metrics.LATENCY.labels(endpoint, request.method).observe(elapsed)
            user = getattr(request, "user", None)
            request_log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "request_id": request_id,
                    "method": request.method,
                    "path": request.path,
                    "endpoint": endpoint,
                    "status": response.status_code,
                    "duration_ms": round(elapsed * 1000, 2),
                    "user_id": user.pk
                    if user is not None and user.is_authenticated
                    # a signed-in reader served a kept copy (public_responses) never reached auth
                    else getattr(request, "signed_in_id", None),
                },
            )
            return response
        finally:
            current_request_id.reset(token)


class SecurityHeadersMiddleware:
    """Headers Django 5.2 does not set itself: Content-Security-Policy (no inline scripts or
    styles; scripts only from our own static files) and Permissions-Policy."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.permissions = settings.GOROD_PERMISSIONS_POLICY

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        csp = _policy(settings.GOROD_CONTENT_SECURITY_POLICY, _provider_origins())
        if csp and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = csp
        if self.permissions and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = self.permissions
        return response


def _provider_origins() -> tuple[str, ...]:
    providers = getattr(settings, "GOROD_OIDC_PROVIDERS", {}) or {}
    origins = set()
    for conf in providers.values():
        parts = urlsplit(conf.get("issuer", ""))
        if parts.scheme and parts.netloc:
            origins.add(f"{parts.scheme}://{parts.netloc}")
    return tuple(sorted(origins))


@functools.cache
def _policy(csp: str, provider_origins: tuple[str, ...]) -> str:
    """The policy with the identity providers' origins allowed as form targets: signing in, connecting
    and signing out are form posts that redirect to the provider, and browsers apply form-action
    to those redirects too."""
    if not csp or not provider_origins:
        return csp
    directives = [part.strip() for part in csp.split(";")]
    for index, directive in enumerate(directives):
        if directive.startswith("form-action"):
            directives[index] = " ".join([directive, *provider_origins])
    return "; ".join(directives)


class PrivatePagesMiddleware:
    """A signed-in resident's pages are theirs alone: ``Cache-Control: private, no-store`` keeps
    them out of shared caches and out of the browser's history cache on a shared computer."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "private" not in response.get("Cache-Control", ""):
            response["Cache-Control"] = "private, no-store"
        return response
