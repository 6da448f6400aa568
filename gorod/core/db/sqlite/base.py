"""Django's SQLite backend with a cheaper BEGIN and group commit.

On SQLite a write transaction holds the database's one write lock from ``BEGIN IMMEDIATE`` to
``COMMIT``, so what the backend spends in between is time no other process can write. Django
sends ``BEGIN`` through its cursor wrapper (a cursor object, thread checks, the execute-wrapper
chain): about 20 µs of Python, more than SQLite takes for the statement. Here it goes straight to
the driver's connection. While queries are being logged (DEBUG, ``assertNumQueries``) it takes
Django's way, so that the statement is still seen there.

Transactions of a file database in WAL mode at ``synchronous=FULL`` use group commit (writers
queue for their turn and flush the WAL after releasing the lock; see ``group_commit.py``)
unless the ``GOROD_SQLITE_GROUP_COMMIT`` setting is off.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.backends.sqlite3 import base

from gorod.core.db.sqlite.group_commit import GroupCommit

SYNCHRONOUS_FULL = 2


class DatabaseWrapper(base.DatabaseWrapper):
    group_commit: GroupCommit | None = None

    def get_new_connection(self, conn_params: Any) -> Any:
        connection = super().get_new_connection(conn_params)
        self.group_commit = None
        if getattr(settings, "GOROD_SQLITE_GROUP_COMMIT", True) and not self.is_in_memory_db():
            (journal_mode,) = connection.execute("PRAGMA journal_mode").fetchone()
            (synchronous,) = connection.execute("PRAGMA synchronous").fetchone()
            if journal_mode == "wal" and synchronous == SYNCHRONOUS_FULL:
                self.group_commit = GroupCommit(_main_file(connection))
        return connection

    def _start_transaction_under_autocommit(self) -> None:
        state: Any = self  # django-stubs do not know transaction_mode
        if self.group_commit is not None:
            with self.wrap_database_errors:
                self.group_commit.begin(self.connection)
        try:
            if self.queries_logged:
                super()._start_transaction_under_autocommit()  # type: ignore[misc]  # not in django-stubs
                return
            with self.wrap_database_errors:
                self.connection.execute(f"BEGIN {state.transaction_mode or ''}")
        except BaseException:
            self._end_group_commit(committed=False)  # e.g. "database is locked": give the turn back
            raise

    def _commit(self) -> None:
        try:
            super()._commit()  # type: ignore[misc]  # not in django-stubs
        except BaseException:
            # A COMMIT that fails may leave the transaction open (a deferred constraint); the
            # rollback that follows ends it then.
            if not self.connection.in_transaction:
                self._end_group_commit(committed=False)
            raise
        self._end_group_commit(committed=True)

    def _rollback(self) -> None:
        try:
            super()._rollback()  # type: ignore[misc]  # not in django-stubs
        finally:
            self._end_group_commit(committed=False)

    def _close(self) -> None:
        try:
            super()._close()  # type: ignore[misc]  # not in django-stubs
        finally:
            if self.group_commit is not None:
                self.group_commit.close()
                self.group_commit = None

    def _end_group_commit(self, *, committed: bool) -> None:
        if self.group_commit is not None and self.connection is not None:
            with self.wrap_database_errors:
                self.group_commit.end(self.connection, committed=committed)


def _main_file(connection: Any) -> str:
    """The database file as SQLite resolved it (absolute), whatever form the setting's NAME
    took (a relative path, a ``file:`` URI): the WAL and the turn's file sit beside it."""
    for _seq, name, path in connection.execute("PRAGMA database_list"):
        if name == "main":
            return str(path)
    raise RuntimeError("SQLite reports no main database")
