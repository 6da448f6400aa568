"""Reads from a streaming replica where staleness is harmless, everything else on the primary
(docs/adr/0007-ha-cluster.md). Off unless ``DATABASE_REPLICA_URL`` is set: then settings add a
``replica`` database, this router and this middleware, and nothing else changes.

What may read from the replica is decided per request, never per query: a GET or HEAD to one of
``GOROD_REPLICA_READ_PATHS`` (public pages, catalogues, maps and their API lists), from a client
that has not written in the last ``GOROD_PRIMARY_PIN_SECONDS``. After any write request the
client is *pinned* to the primary for that long, so a resident sees their vote, order and
balance at once (read-your-writes), whatever the replica's lag:

- a browser gets a short ``gorod_primary`` cookie (sign-in and sign-up included: the new session
  row is on the primary only until it has replicated);
- an app with a bearer token has no cookie jar to rely on: the token's digest is kept in the
  default cache (Redis in a cluster: every web node sees it) for the same time.

Inside a transaction every read goes to the primary (a service reads what it is about to
change), and so do the session and token lookups of the request, whatever the path.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from contextvars import ContextVar
from functools import cache
from typing import Any

from django.conf import settings
from django.core.cache import cache as default_cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse

PIN_COOKIE = "gorod_primary"
SAFE_METHODS = frozenset({"GET", "HEAD"})
# Rows a request needs as they are this instant: a session just made by signing in, a token just
# issued. They are read on the primary on every path.
PRIMARY_ONLY_MODELS = frozenset({"sessions.session", "accounts.apitoken", "accounts.resident"})

_replica_reads: ContextVar[bool] = ContextVar("gorod_replica_reads", default=False)


def replica_alias() -> str | None:
    return getattr(settings, "GOROD_READ_REPLICA", None)


@cache
def _patterns(paths: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in paths) or r"(?!)")


def path_may_be_stale(path: str) -> bool:
    """Whether the page or document at ``path`` is one whose readers are served well enough by
    a copy a fraction of a second old (public pages, catalogues, maps)."""
    return bool(_patterns(tuple(settings.GOROD_REPLICA_READ_PATHS)).match(path))


def _credential_key(request: HttpRequest) -> str | None:
    """The cache key of the bearer token a request carries, or None."""
    header = request.headers.get("Authorization", "")
    if not header.lower().startswith("bearer "):
        return None
    digest = hashlib.sha256(header[7:].strip().encode()).hexdigest()[:32]
    return f"gorod:primary-pin:{digest}"


def request_pinned(request: HttpRequest) -> bool:
    """Whether the client wrote something recently, so that its reads stay on the primary."""
    if PIN_COOKIE in request.COOKIES:
        return True
    key = _credential_key(request)
    return key is not None and default_cache.get(key) is not None


def pin_to_primary(request: HttpRequest, response: HttpResponse) -> None:
    """Keep this client's reads on the primary for GOROD_PRIMARY_PIN_SECONDS after a write."""
    seconds = settings.GOROD_PRIMARY_PIN_SECONDS
    response.set_cookie(
        PIN_COOKIE,
        "1",
        max_age=seconds,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    key = _credential_key(request)
    if key is not None:
        default_cache.set(key, 1, timeout=seconds)


class ReplicaReadsMiddleware:
    """Marks a request whose reads may go to the replica, and pins a writer to the primary."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in SAFE_METHODS:
            response = self.get_response(request)
            pin_to_primary(request, response)
            return response
        if not replica_alias() or not path_may_be_stale(request.path_info) or request_pinned(request):
            return self.get_response(request)
        token = _replica_reads.set(True)
        try:
            return self.get_response(request)
        finally:
            _replica_reads.reset(token)


class ReplicaRouter:
    """Reads to the replica only inside a request the middleware marked, outside any
    transaction and for models that are not primary-only; writes and migrations to the primary."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        alias = replica_alias()
        if (
            alias is None
            or not _replica_reads.get()
            or model._meta.label_lower in PRIMARY_ONLY_MODELS
            or connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return DEFAULT_DB_ALIAS
        return alias

    def db_for_write(self, model: type[Any], **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS
