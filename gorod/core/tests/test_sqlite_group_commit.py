"""Group commit on SQLite (gorod/core/db/sqlite/group_commit.py): every commit is on disk when
``commit()`` returns, the flush happens after the write lock is free, writers take turns, and
no failure leaves a turn taken or the connection without SQLite's own flush."""

from __future__ import annotations

import errno
import fcntl
import os
import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest
from django.db import OperationalError, connection
from django.test import override_settings

from gorod.core.db.sqlite.base import DatabaseWrapper
from gorod.core.tests.test_sqlite_backend import _another_writer_can_begin as _sqlite_lock_free

pytestmark = [
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite backend"),
    pytest.mark.django_db,
]

FULL, NORMAL = 2, 1


def _database(path: Path, timeout: float = 20) -> Any:
    options = {**connection.settings_dict["OPTIONS"], "timeout": timeout}
    settings_dict = {**connection.settings_dict, "NAME": str(path), "OPTIONS": options}
    db = DatabaseWrapper(settings_dict, alias=f"group_commit_{threading.get_ident()}")
    with db.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS t (v integer)")
    return db


def _begin(db: Any) -> None:
    db.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)


def _commit(db: Any) -> None:
    db.commit()
    db.set_autocommit(True)


def _insert(db: Any, value: int) -> None:
    with db.cursor() as cursor:
        cursor.execute("INSERT INTO t (v) VALUES (%s)", [value])


def _synchronous(db: Any) -> int:
    with db.cursor() as cursor:
        cursor.execute("PRAGMA synchronous")
        return int(cursor.fetchone()[0])


def _count(path: Path) -> int:
    return int(sqlite3.connect(path).execute("SELECT count(*) FROM t").fetchone()[0])


def _turn_free(path: Path) -> bool:
    fd = os.open(f"{path}-writer", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        fcntl.flock(fd, fcntl.LOCK_UN)
        return True
    except BlockingIOError:
        return False
    finally:
        os.close(fd)


@pytest.fixture
def flushes(monkeypatch):
    """Every fdatasync, still done for real, with what was true at the moment of the call."""
    calls: list[dict[str, Any]] = []
    real = os.fdatasync
    watched: dict[str, Path] = {}

    def spy(fd: int) -> None:
        path = watched.get("path")
        if path is not None and os.path.exists(f"{path}-wal"):
            calls.append(
                {
                    "wal": os.fstat(fd).st_ino == os.stat(f"{path}-wal").st_ino,
                    "sqlite_lock_free": _sqlite_lock_free(path),
                    "turn_free": _turn_free(path),
                    "rows_seen_by_others": _count(path),
                }
            )
        real(fd)

    monkeypatch.setattr(os, "fdatasync", spy)
    return calls, watched


def test_a_commit_is_flushed_after_the_lock_is_free_and_before_commit_returns(tmp_path, flushes):
    calls, watched = flushes
    path = tmp_path / "flush.sqlite3"
    watched["path"] = path
    db = _database(path)
    try:
        _begin(db)
        assert not _turn_free(path)
        assert _synchronous(db) == NORMAL  # SQLite leaves the flush to the backend
        _insert(db, 1)
        assert calls == []
        _commit(db)
        # one flush, of the WAL, done while other writers could already take the lock
        assert calls == [{"wal": True, "sqlite_lock_free": True, "turn_free": True, "rows_seen_by_others": 1}]
        assert _synchronous(db) == FULL  # outside transactions SQLite flushes by itself
    finally:
        db.close()
    assert _count(path) == 1


def test_a_rolled_back_transaction_gives_the_turn_back_without_a_flush(tmp_path, flushes):
    calls, watched = flushes
    path = tmp_path / "rollback.sqlite3"
    watched["path"] = path
    db = _database(path)
    try:
        _begin(db)
        _insert(db, 1)
        db.rollback()
        db.set_autocommit(True)
        assert calls == []
        assert _turn_free(path) and _sqlite_lock_free(path)
        assert _synchronous(db) == FULL
    finally:
        db.close()
    assert _count(path) == 0


def test_writers_of_other_threads_wait_for_the_turn_and_get_it_when_it_is_given_back(tmp_path):
    path = tmp_path / "turns.sqlite3"
    first = _database(path)
    began, done = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def second_writer() -> None:
        try:
            db = _database(path)
            _begin(db)
            began.set()
            _insert(db, 2)
            _commit(db)
            db.close()
        except BaseException as error:  # reported to the test below
            errors.append(error)
        finally:
            done.set()

    try:
        _begin(first)
        _insert(first, 1)
        thread = threading.Thread(target=second_writer)
        thread.start()
        assert not began.wait(0.3)  # waiting for the turn, not writing
        _commit(first)
        assert done.wait(10)
        thread.join()
        assert errors == []
    finally:
        first.close()
    assert sqlite3.connect(path).execute("SELECT v FROM t ORDER BY rowid").fetchall() == [(1,), (2,)]


def test_concurrent_increments_lose_nothing(tmp_path):
    path = tmp_path / "increments.sqlite3"
    setup = _database(path)
    setup.cursor().execute("INSERT INTO t (v) VALUES (0)")
    setup.close()
    errors: list[BaseException] = []

    def increment(times: int) -> None:
        try:
            db = _database(path)
            for _ in range(times):
                _begin(db)
                with db.cursor() as cursor:
                    cursor.execute("SELECT v FROM t")
                    (value,) = cursor.fetchone()
                    cursor.execute("UPDATE t SET v = %s", [value + 1])
                _commit(db)
            db.close()
        except BaseException as error:  # reported to the test below
            errors.append(error)

    threads = [threading.Thread(target=increment, args=(25,)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sqlite3.connect(path).execute("SELECT v FROM t").fetchone() == (100,)


def test_a_second_connection_of_the_same_thread_fails_instead_of_waiting_forever(tmp_path):
    """Only this thread could give the turn back, so waiting for it would never end: the second
    connection goes to SQLite's lock, which times out with "database is locked"."""
    path = tmp_path / "same-thread.sqlite3"
    first = _database(path)
    second = _database(path, timeout=0.05)
    try:
        _begin(first)
        with pytest.raises(OperationalError, match="locked"):
            _begin(second)
        assert _synchronous(second) == FULL
        first.rollback()
        first.set_autocommit(True)
        second.set_autocommit(True)
        assert _turn_free(path)
    finally:
        first.close()
        second.close()


def test_a_begin_that_fails_gives_the_turn_back(tmp_path):
    path = tmp_path / "busy.sqlite3"
    db = _database(path, timeout=0.05)
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # a writer that does not take turns (another program)
        with pytest.raises(OperationalError, match="locked"):
            _begin(db)
        db.set_autocommit(True)
        assert _turn_free(path)
        assert _synchronous(db) == FULL
        other.execute("ROLLBACK")
        _begin(db)
        _insert(db, 1)
        _commit(db)
    finally:
        other.close()
        db.close()
    assert _count(path) == 1


def test_a_failed_flush_is_an_error_of_commit_and_the_next_commit_flushes_again(tmp_path, monkeypatch):
    path = tmp_path / "eio.sqlite3"
    db = _database(path)
    real = os.fdatasync
    failing = {"next": True}

    def flaky(fd: int) -> None:
        if failing["next"]:
            failing["next"] = False
            raise OSError(errno.EIO, "Input/output error")
        real(fd)

    monkeypatch.setattr(os, "fdatasync", flaky)
    try:
        _begin(db)
        _insert(db, 1)
        with pytest.raises(OperationalError, match="may not have reached the disk"):
            db.commit()
        db.set_autocommit(True)
        assert _turn_free(path)
        _begin(db)
        _insert(db, 2)
        _commit(db)  # a new descriptor, a real flush
    finally:
        db.close()
    assert _count(path) == 2


def test_closing_in_a_transaction_gives_the_turn_back(tmp_path):
    path = tmp_path / "close.sqlite3"
    db = _database(path)
    _begin(db)
    _insert(db, 1)
    db.close()
    assert _turn_free(path) and _sqlite_lock_free(path)
    assert _count(path) == 0


@override_settings(GOROD_SQLITE_GROUP_COMMIT=False)
def test_without_group_commit_sqlite_flushes_inside_the_lock(tmp_path, flushes):
    calls, watched = flushes
    path = tmp_path / "off.sqlite3"
    watched["path"] = path
    db = _database(path)
    try:
        _begin(db)
        assert _synchronous(db) == FULL
        _insert(db, 1)
        _commit(db)
    finally:
        db.close()
    assert calls == []
    assert not Path(f"{path}-writer").exists()
    assert _count(path) == 1


def test_a_database_named_by_uri_flushes_the_file_sqlite_opened(tmp_path, flushes):
    calls, watched = flushes
    path = tmp_path / "by-uri.sqlite3"
    watched["path"] = path
    options = {**connection.settings_dict["OPTIONS"], "uri": True}
    name = f"file:{path}?mode=rwc"
    db = DatabaseWrapper(
        {**connection.settings_dict, "NAME": name, "OPTIONS": options}, alias="group_commit_uri"
    )
    try:
        db.ensure_connection()
        assert db.group_commit is not None and db.group_commit.wal_path == f"{path}-wal"
        with db.cursor() as cursor:
            cursor.execute("CREATE TABLE t (v integer)")
        _begin(db)
        _insert(db, 1)
        _commit(db)
    finally:
        db.close()
    assert [call["wal"] for call in calls] == [True]
    assert _count(path) == 1


def test_an_in_memory_database_has_no_group_commit():
    db = DatabaseWrapper({**connection.settings_dict, "NAME": ":memory:"}, alias="group_commit_memory")
    db.ensure_connection()
    try:
        assert db.group_commit is None
    finally:
        db.close()
        db._close()  # Django keeps an in-memory database open on close()
