"""The shared parts of signed-in pages, kept a few seconds in each process.

A resident's page mixes what is the same for many residents (the open polls, the rewards on
offer, the challenges, the news) with what is theirs alone (balance, the marks of their own
votes, their reports). The personal parts are read fresh on every request, so a resident sees
their own writes at once and nobody else's; the shared parts are read through ``remember``:
once per scope version and process, and for at most GOROD_PUBLIC_CACHE_SECONDS (0 turns it
off), the staleness signed-out visitors already accept (gorod.core.cache.public_cache). Every write
re-checks the state it acts on, so a stale list never lets one through.

A service that changes what a scope holds calls ``bump(scope)``: a new version at once, and
again after its transaction commits, so that a page rendered in between from the old rows is
not kept. Versions live in Django's default cache: shared by every worker when that cache is
(Redis, the database), per process otherwise, where the time limit bounds how long another
worker keeps the old list.

Values are kept as they are (no pickling) and handed to every reader in the process: callers
must not change them; per-resident facts go beside them, never onto them.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Hashable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.translation import get_language

T = TypeVar("T")
# Who may read what: bumped when a token is revoked, an account erased, a level or a role changed.
# Signed-in readers' passes to shared documents hold only while it stays (public_responses).
ACCESS = "access"
# Keys vary with filters and audiences; the store is bounded and forgets its oldest entry first.
MAX_ENTRIES = 1024

_store: dict[tuple[str, str, str, Hashable], tuple[float, object]] = {}


def clear() -> None:
    _store.clear()


def _version_key(scope: str) -> str:
    return f"gorod:shared:{scope}"


def version(scope: str) -> str:
    """The scope's current version; a new random one when the cache has none (first use,
    eviction, a cleared cache), so values kept under an older one are never served again."""
    key = _version_key(scope)
    current = cache.get(key)
    if current is None:
        cache.add(key, secrets.token_hex(8), timeout=None)
        current = cache.get(key)
    return str(current)


def _new_version(scope: str) -> None:
    cache.set(_version_key(scope), secrets.token_hex(8), timeout=None)


def bump(scope: str) -> None:
    """What ``scope`` holds is changing: forget it now and once more after commit."""
    _new_version(scope)
    transaction.on_commit(lambda: _new_version(scope))


def remember(scope: str, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``'s value for ``key`` in ``scope``, computed at most once per version of the
    scope and per GOROD_PUBLIC_CACHE_SECONDS in this process."""
    seconds = settings.GOROD_PUBLIC_CACHE_SECONDS
    if seconds <= 0:
        return compute()
    # Rows are read in the reader's language (gorod.core.content), so each language has its own.
    full_key = (scope, version(scope), get_language() or "", key)
    now = time.monotonic()
    entry = _store.get(full_key)
    if entry is not None and entry[0] > now:
        return entry[1]  # type: ignore[return-value]
    value = compute()
    _store.pop(full_key, None)
    if len(_store) >= MAX_ENTRIES:
        del _store[next(iter(_store))]
    _store[full_key] = (now + seconds, value)
    return value
