"""Whole responses of public API documents, served to anonymous readers before the stack runs.

Published poll results are the same document for every signed-out reader, yet each request ran
16 middlewares, a token and session check, four queries and ninja's validation: 0.07x a bare
Django view answering from its cache (issue 29). A view opts in with ``@public_document(scope)``;
``PublicResponseMiddleware``, second in the chain (after the request id, so every request is
still logged and counted), keeps the response a cookie-less, token-less GET got and serves it to
the next such request for the same document.

What makes a served copy the response the full stack would give:
- only requests without ``Cookie`` and ``Authorization`` are served or kept: nobody is signed in,
  no session, CSRF token or message can be involved, so the body is never a resident's own;
- the key is everything such a response can depend on: path, query string, host, scheme (and
  the proxy's ``X-Forwarded-Proto``), ``Accept-Language`` and ``HX-Request``; a response whose
  ``Vary`` names another header, that sets a cookie, is private, streaming or not a 200 is never
  kept;
- its headers are kept as the stack set them (security headers, CSP, Content-Language, Vary),
  with an ETag added; ``If-None-Match`` is answered 304. ``X-Request-ID`` is each request's own;
- an entry is dropped when any of its scopes' versions (gorod.core.cache.shared_cache) moved
  since it was rendered: a service that changes what the document shows bumps the scope
  (closing, publishing, archiving a poll, moderating its other answers), and after at most
  GOROD_PUBLIC_CACHE_SECONDS (0 turns it off) in any case, which bounds how long another
  worker keeps it when the versions live in a per-process cache.

The store is a dict in each process, bounded, oldest first out; no pickling, no round trip but
the versions' read (the same one cache read the bare baseline's cached view does).

Signed-in readers (``@public_document(scope, readers=True)``): an open poll's live results are
the same document for every resident who has voted in it, but each request checked the token and
the resident's participation (two queries and the whole stack: 0.16x the bare cached GET). For a
view that declares its body is the same for every reader it lets through, a cookie-less GET
signed in by a bearer token that the full stack answered 200 leaves a *pass*: this token may read
this document. The next request with the same ``Authorization`` header for the same key is
served the kept copy while
- the pass and the copy are younger than GOROD_PUBLIC_CACHE_SECONDS,
- none of the document's scopes, nor ``ACCESS``, moved since the pass was given. ``ACCESS`` is
  bumped by what can take a reader's right away: a token revoked, an account erased, a level or
  a role changed (gorod.accounts.services, gorod.privacy.services). Where the versions live in
  a per-process cache, another worker notices within the time limit.
What the view's gate depends on besides the reader (the poll's status, whether they voted) must
be covered by those scopes or never go back: a resident who voted stays one who voted. Passes
are keyed by a hash of the header, kept only in the process's memory, never written anywhere.
"""

from __future__ import annotations

import functools
import hashlib
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotModified

from gorod.core.cache import shared_cache

MAX_ENTRIES = 512
# Request headers a kept response may vary on: they are part of the key.
_KEY_HEADERS = ("HTTP_HOST", "HTTP_X_FORWARDED_PROTO", "HTTP_ACCEPT_LANGUAGE", "HTTP_HX_REQUEST")
_VARY_ALLOWED = frozenset({"accept-language", "cookie", "authorization", "hx-request", "host"})
# Each request's own, set again by RequestIdMiddleware on the copy.
_NOT_KEPT = frozenset({"x-request-id"})
_MARK = "_gorod_public_document"


class _Entry:
    __slots__ = ("content", "etag", "expires", "headers", "match", "versions")

    def __init__(
        self, response: HttpResponse, versions: dict[str, str], match: Any, etag: str, expires: float
    ) -> None:
        self.content = response.content
        self.headers = [(k, v) for k, v in response.headers.items() if k.lower() not in _NOT_KEPT]
        self.versions = versions
        self.match = match
        self.etag = etag
        self.expires = expires


_store: dict[tuple[str, ...], _Entry] = {}
# (hash of the Authorization header, document key) -> (versions, expires, reader's id)
_passes: dict[tuple[bytes, tuple[str, ...]], tuple[dict[str, str], float, int]] = {}
MAX_PASSES = 20_000
_READERS = "_gorod_readers_document"


def clear() -> None:
    _store.clear()
    _passes.clear()


def _anonymous_get(request: HttpRequest) -> bool:
    meta = request.META
    # An empty Cookie header carries no cookie (Django's test client always sends one).
    return request.method == "GET" and not meta.get("HTTP_COOKIE") and "HTTP_AUTHORIZATION" not in meta


def _bearer_get(request: HttpRequest) -> bool:
    meta = request.META
    return (
        request.method == "GET"
        and not meta.get("HTTP_COOKIE")
        and meta.get("HTTP_AUTHORIZATION", "")[:7].lower() == "bearer "
    )


def _key(request: HttpRequest) -> tuple[str, ...]:
    meta = request.META
    return (
        request.path,
        meta.get("QUERY_STRING", ""),
        request.scheme,
        *(meta.get(name, "") for name in _KEY_HEADERS),
    )


def _versions(scopes: tuple[str, ...]) -> dict[str, str]:
    return {scope: shared_cache.version(scope) for scope in scopes}


def public_document(
    *scopes: str, readers: bool = False
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Mark a view's 200 answers to anonymous readers as the same for all of them, for a given
    path, query and language, until one of ``scopes`` is bumped. Its body must depend on nothing
    else of the request (no user, no cookie, no header outside the key). ``readers``: its 200
    answer to a resident signed in by a bearer token is the same document too, for every resident
    it lets through (the module's docstring says what the gate may depend on)."""
    scopes_for_readers = (*scopes, shared_cache.ACCESS)

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            # Read before the body is computed: a bump during the rendering makes it stale.
            versions = None
            if settings.GOROD_PUBLIC_CACHE_SECONDS > 0:
                if _anonymous_get(request):
                    versions = _versions(scopes)
                elif readers and _bearer_get(request):
                    versions = _versions(scopes_for_readers)
            response = view(request, *args, **kwargs)
            if versions is not None:
                setattr(response, _MARK, versions)
                if readers:
                    setattr(response, _READERS, True)
            return response

        return wrapped

    return decorator


def _keepable(request: HttpRequest, response: HttpResponseBase, reader: bool = False) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if not reader:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return False
        cache_control = response.get("Cache-Control", "")
        if "private" in cache_control or "no-store" in cache_control:
            return False
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
    return vary <= _VARY_ALLOWED


def _etag(content: bytes) -> str:
    return '"' + hashlib.blake2b(content, digest_size=12).hexdigest() + '"'


def _serve(request: HttpRequest, entry: _Entry) -> HttpResponse:
    if entry.match is not None:
        request.resolver_match = entry.match  # the endpoint label of the request log and metrics
    if entry.etag in request.META.get("HTTP_IF_NONE_MATCH", ""):
        response: HttpResponse = HttpResponseNotModified()
        for name, value in entry.headers:
            if name.lower() not in ("content-type", "content-length"):
                response[name] = value
        return response
    response = HttpResponse(entry.content)
    for name, value in entry.headers:
        response[name] = value
    return response


def _header_hash(request: HttpRequest) -> bytes:
    return hashlib.blake2b(request.META["HTTP_AUTHORIZATION"].encode(), digest_size=16).digest()


class PublicResponseMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if _bearer_get(request):
            return self._reader(request)
        if not _anonymous_get(request):
            return self.get_response(request)
        key = _key(request)
        entry = _store.get(key)
        if entry is not None:
            if entry.expires > time.monotonic() and _versions(tuple(entry.versions)) == entry.versions:
                return _serve(request, entry)
            _store.pop(key, None)
        response = self.get_response(request)
        versions = getattr(response, _MARK, None)
        if versions is None or not isinstance(response, HttpResponse) or not _keepable(request, response):
            return response
        etag = _etag(response.content)
        response["ETag"] = etag
        seconds = settings.GOROD_PUBLIC_CACHE_SECONDS
        entry = _Entry(
            response, versions, getattr(request, "resolver_match", None), etag, time.monotonic() + seconds
        )
        if len(_store) >= MAX_ENTRIES:
            del _store[next(iter(_store))]
        _store[key] = entry
        return response

    def _reader(self, request: HttpRequest) -> HttpResponseBase:
        """A signed-in reader's GET: the kept copy if their pass for it holds, else the stack."""
        key = (*_key(request), "reader")
        pass_key = (_header_hash(request), key)
        entry = _store.get(key)
        given = _passes.get(pass_key)
        now = time.monotonic()
        if entry is not None and given is not None:
            passed, expires, reader_id = given
            if (
                expires > now
                and entry.expires > now
                and entry.versions == passed
                and _versions(tuple(passed)) == passed
            ):
                # the request log's user id: this reader never reached the authentication
                request.signed_in_id = reader_id  # type: ignore[attr-defined]
                return _serve(request, entry)
        response = self.get_response(request)
        versions: dict[str, str] | None = getattr(response, _MARK, None)
        user = getattr(request, "user", None)
        if (
            versions is None
            or not getattr(response, _READERS, False)
            or user is None
            or not user.is_authenticated
            or not isinstance(response, HttpResponse)
            or not _keepable(request, response, reader=True)
        ):
            return response
        expires = now + settings.GOROD_PUBLIC_CACHE_SECONDS
        if entry is None or entry.versions != versions or entry.expires <= now:
            etag = _etag(response.content)
            response["ETag"] = etag
            entry = _Entry(response, versions, getattr(request, "resolver_match", None), etag, expires)
            if len(_store) >= MAX_ENTRIES:
                del _store[next(iter(_store))]
            _store[key] = entry
        else:
            response["ETag"] = entry.etag
        if len(_passes) >= MAX_PASSES:
            del _passes[next(iter(_passes))]
        # no longer than the copy it lets them read: a newer copy needs the stack's word again
        _passes[pass_key] = (versions, min(expires, entry.expires), user.pk)
        return response
