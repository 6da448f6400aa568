"""Sessions kept in the database (Django's ``db`` engine), read with SQL written once per process
(``accounts.sql.session_row``): every signed-in page loads its session first, and through the
ORM building that one lookup by primary key cost more CPU than the database took to answer it.
The stored rows, the cookie and everything else are Django's own.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends import db
from django.db import router
from django.utils import timezone

from gorod.accounts import sql


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Any:
        """The unexpired session row for the key, or None (and the key is forgotten), as
        Django's engine answers."""
        row = sql.session_row(router.db_for_read(self.model), self.session_key, timezone.now())
        if row is None:
            self._session_key = None
        return row
