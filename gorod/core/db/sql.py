"""Hand-written SQL of the kernel: the database cache's locked read-modify-write.

The cache table has no model (Django's ``DatabaseCache`` writes it with its own SQL), so these
are paired with a test that they read and write what Django's cache backend reads and writes,
on SQLite and PostgreSQL (core/tests/test_sql.py; ADR 0005). Only identifiers (the table and
its fixed columns) are formatted into the SQL; the key and value are bound parameters.
"""
# ruff: noqa: S608

from __future__ import annotations

from typing import Any

from django.db import connections


def cache_row_locked(alias: str, table: str, cache_key: str) -> tuple[Any, Any] | None:
    """The cache row's raw ``(value, expires)``, locked until the transaction ends (``FOR
    UPDATE`` where the database has it; SQLite's write lock, taken at BEGIN, otherwise)."""
    db = connections[alias]
    qn = db.ops.quote_name
    lock = " FOR UPDATE" if db.features.has_select_for_update else ""
    with db.cursor() as cursor:
        cursor.execute(
            f"SELECT {qn('value')}, {qn('expires')} FROM {qn(table)} WHERE {qn('cache_key')} = %s{lock}",
            [cache_key],
        )
        row = cursor.fetchone()
    return None if row is None else (row[0], row[1])


def cache_value_set(alias: str, table: str, cache_key: str, encoded: str) -> None:
    """Replace the value of an existing cache row (its expiry unchanged)."""
    db = connections[alias]
    qn = db.ops.quote_name
    with db.cursor() as cursor:
        cursor.execute(
            f"UPDATE {qn(table)} SET {qn('value')} = %s WHERE {qn('cache_key')} = %s", [encoded, cache_key]
        )
