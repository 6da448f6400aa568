"""Model fields shared by apps."""

from __future__ import annotations

from typing import Any

from django.db import models


class AppendOnlyIdField(models.BigAutoField):
    """A 64-bit id for an append-only table: on SQLite a plain ``INTEGER PRIMARY KEY`` (the
    rowid) instead of Django's ``AUTOINCREMENT``.

    AUTOINCREMENT only promises that the id of a deleted last row is never used again, and it
    keeps that promise by updating ``sqlite_sequence`` at every insert: one more page that each
    commit writes and flushes. A table whose rows are never deleted has nothing to gain from it
    ("should be avoided if not strictly needed", https://sqlite.org/autoinc.html). PostgreSQL
    and every other database get BigAutoField's column unchanged.
    """

    def db_type_suffix(self, connection: Any) -> str | None:
        if connection.vendor == "sqlite":
            return None
        return super().db_type_suffix(connection)  # type: ignore[misc]  # not in django-stubs
