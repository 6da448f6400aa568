"""gorod's SQLite backend: an atomic block takes the write lock at its BEGIN, as Django's does,
and the BEGIN is still seen where queries are logged."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from gorod.core.db.sqlite.base import DatabaseWrapper

pytestmark = [
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite backend"),
    pytest.mark.django_db,
]


def _database(path: Path) -> Any:
    db = DatabaseWrapper({**connection.settings_dict, "NAME": str(path)}, alias="sqlite_backend_test")
    with db.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS t (v integer)")
    return db


def _another_writer_can_begin(path: Path) -> bool:
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        other.close()


def test_a_transaction_holds_the_write_lock_from_begin_to_commit(tmp_path):
    path = tmp_path / "lock.sqlite3"
    db = _database(path)
    try:
        assert _another_writer_can_begin(path)
        db.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
        assert not _another_writer_can_begin(path)  # taken at BEGIN, before any write
        with db.cursor() as cursor:
            cursor.execute("INSERT INTO t (v) VALUES (1)")
        db.commit()
        db.set_autocommit(True)
        assert _another_writer_can_begin(path)
        assert sqlite3.connect(path).execute("SELECT count(*) FROM t").fetchone() == (1,)
    finally:
        db.close()


def test_a_rolled_back_transaction_releases_the_lock_and_writes_nothing(tmp_path):
    path = tmp_path / "rollback.sqlite3"
    db = _database(path)
    try:
        db.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
        with db.cursor() as cursor:
            cursor.execute("INSERT INTO t (v) VALUES (1)")
        db.rollback()
        db.set_autocommit(True)
        assert _another_writer_can_begin(path)
        assert sqlite3.connect(path).execute("SELECT count(*) FROM t").fetchone() == (0,)
    finally:
        db.close()


def test_begin_is_logged_while_queries_are_logged(tmp_path):
    db = _database(tmp_path / "logged.sqlite3")
    try:
        db.force_debug_cursor = True
        db.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
        db.rollback()
        db.set_autocommit(True)
        assert "BEGIN IMMEDIATE" in [query["sql"] for query in db.queries]
    finally:
        db.close()
