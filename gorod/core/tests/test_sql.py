"""core/db/sql.py reads and writes the cache table as Django's own database cache does (ADR 0005):
the table has no model, so Django's ``DatabaseCache`` is the reference. Runs on SQLite and on
PostgreSQL (DATABASE_URL)."""

from __future__ import annotations

import base64
import pickle

import pytest
from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import DEFAULT_DB_ALIAS, transaction

from gorod.core.cache.dbcache import AtomicDatabaseCache
from gorod.core.db import sql

pytestmark = pytest.mark.django_db
TABLE = "gorod_sql_test_cache"


@pytest.fixture
def cache() -> AtomicDatabaseCache:
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(DEFAULT_DB_ALIAS, TABLE, dry_run=False)
    return AtomicDatabaseCache(TABLE, {})


def test_the_locked_read_and_the_update_match_djangos_database_cache(cache):
    cache.set("counter", 41, timeout=60)
    key = cache.make_and_validate_key("counter")
    with transaction.atomic():
        row = sql.cache_row_locked(DEFAULT_DB_ALIAS, TABLE, key)
        assert row is not None
        assert pickle.loads(base64.b64decode(str(row[0]).encode())) == cache.get("counter") == 41
        encoded = base64.b64encode(pickle.dumps(99)).decode("latin1")
        sql.cache_value_set(DEFAULT_DB_ALIAS, TABLE, key, encoded)
    assert cache.get("counter") == 99
    assert sql.cache_row_locked(DEFAULT_DB_ALIAS, TABLE, cache.make_and_validate_key("absent")) is None
    assert cache.get("absent") is None


def test_incr_through_the_statements_counts_as_djangos_get_sees(cache):
    cache.set("hits", 1, timeout=60)
    assert cache.incr("hits", 2) == 3 == cache.get("hits")
    with pytest.raises(ValueError):
        cache.incr("never_set")
