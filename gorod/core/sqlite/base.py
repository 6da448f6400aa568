"""Django's SQLite backend with a cheaper BEGIN.

On SQLite a write transaction holds the database's one write lock from ``BEGIN IMMEDIATE`` to
``COMMIT``, so what the backend spends in between is time no other process can write. Django
sends ``BEGIN`` through its cursor wrapper (a cursor object, thread checks, the execute-wrapper
chain): about 20 µs of Python, more than SQLite takes for the statement. Here it goes straight to
the driver's connection. While queries are being logged (DEBUG, ``assertNumQueries``) it takes
Django's way, so that the statement is still seen there.
"""

from __future__ import annotations

from typing import Any

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    def _start_transaction_under_autocommit(self) -> None:
        state: Any = self  # django-stubs do not know transaction_mode
        if self.queries_logged:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]  # not in django-stubs
            return
        with self.wrap_database_errors:
            self.connection.execute(f"BEGIN {state.transaction_mode or ''}")
