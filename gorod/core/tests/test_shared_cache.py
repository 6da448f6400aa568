"""gorod.core.cache.shared_cache: a value is computed once per scope version, a bump forgets it at
once and again after commit, and 0 seconds turns keeping off."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import transaction

from gorod.core.cache import shared_cache

pytestmark = pytest.mark.django_db


class Source:
    """Counts how often the value was computed."""

    def __init__(self) -> None:
        self.reads = 0

    def __call__(self) -> int:
        self.reads += 1
        return self.reads


def test_kept_per_key_until_the_scope_is_bumped():
    source = Source()
    assert [shared_cache.remember("s", "k", source) for _ in range(3)] == [1, 1, 1]
    assert shared_cache.remember("s", "other", source) == 2
    assert shared_cache.remember("another-scope", "k", source) == 3
    shared_cache.bump("s")
    assert shared_cache.remember("s", "k", source) == 4
    assert shared_cache.remember("another-scope", "k", source) == 3


def test_a_cleared_cache_forgets_the_versions_and_so_the_values():
    source = Source()
    shared_cache.remember("s", "k", source)
    cache.clear()
    assert shared_cache.remember("s", "k", source) == 2


@pytest.mark.django_db(transaction=True)
def test_bump_forgets_again_after_commit():
    """A reader between the write and its commit sees the old rows; what it keeps is dropped
    when the transaction commits."""
    source = Source()
    shared_cache.remember("s", "k", source)
    with transaction.atomic():
        shared_cache.bump("s")
        assert shared_cache.remember("s", "k", source) == 2  # read before the commit
        assert shared_cache.remember("s", "k", source) == 2
    assert shared_cache.remember("s", "k", source) == 3


def test_zero_seconds_computes_every_time(settings):
    settings.GOROD_PUBLIC_CACHE_SECONDS = 0
    source = Source()
    assert [shared_cache.remember("s", "k", source) for _ in range(2)] == [1, 2]


def test_store_is_bounded(monkeypatch):
    monkeypatch.setattr(shared_cache, "MAX_ENTRIES", 3)
    for n in range(5):
        shared_cache.remember("s", n, lambda n=n: n)
    assert len(shared_cache._store) == 3
