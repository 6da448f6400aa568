"""Sessions kept in the database (Django's ``db`` engine), read with SQL written once per process.

Every signed-in page loads its session first. Through the ORM, building that one lookup by
primary key cost more CPU than the database took to answer it (gorod.core.rows explains the
pattern); the stored rows, the cookie and everything else are Django's own.
"""

from __future__ import annotations

import functools
from typing import Any

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db import connections, router
from django.utils import timezone

from gorod.core import rows


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Any:
        """The unexpired session row for the key, or None (and the key is forgotten), as
        Django's engine answers."""
        alias = router.db_for_read(self.model)
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute(
                _session_sql(alias),
                [self.session_key, connection.ops.adapt_datetimefield_value(timezone.now())],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return rows.from_row(Session, row)


@functools.cache
def _session_sql(alias: str) -> str:
    # Identifiers from the model's metadata only; the key and the time are bound parameters.
    qn = connections[alias].ops.quote_name
    return (
        f"SELECT {rows.columns(Session, 's')} FROM {qn(Session._meta.db_table)} s"  # noqa: S608
        " WHERE s.session_key = %s AND s.expire_date > %s"
    )
