from __future__ import annotations

import functools
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.db import connection
from django.http import HttpRequest

from gorod.accounts import selectors
from gorod.accounts.models import District, Resident
from gorod.core import rows


class EmailOrPhoneBackend(ModelBackend):
    """Sign in with a login, an e-mail or a phone number and the password."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Resident | None:
        if not username or not password:
            return None
        candidate = selectors.resident_by_login(username)
        if candidate is None:
            Resident().set_password(password)  # same work as a real check: no timing oracle
            return None
        if candidate.check_password(password) and self.user_can_authenticate(candidate):
            return candidate
        return None

    def get_user(self, user_id: Any) -> Resident | None:
        """The signed-in resident of a session, with their home district: pages that show or
        use it (the home page's news, the profile) then need no query of their own for it."""
        resident = _resident_with_district(user_id)
        return resident if resident is not None and self.user_can_authenticate(resident) else None


def _resident_with_district(user_id: Any) -> Resident | None:
    """``Resident.objects.select_related("home_district").filter(pk=...).first()`` in SQL written
    once per process: every signed-in page runs it, and compiling it through the ORM cost more
    CPU than the database took to answer (gorod.core.rows)."""
    try:
        pk = int(user_id)
    except (TypeError, ValueError):
        return None
    with connection.cursor() as cursor:
        cursor.execute(_resident_sql(connection.vendor), [pk])
        row = cursor.fetchone()
    if row is None:
        return None
    split = rows.width(Resident)
    resident = rows.from_row(Resident, row[:split])
    district = rows.from_row(District, row[split:]) if row[split] is not None else None
    Resident.home_district.field.set_cached_value(resident, district)
    return resident


@functools.cache
def _resident_sql(vendor: str) -> str:
    # Identifiers from the models' metadata only; the id is a bound parameter.
    qn = connection.ops.quote_name
    return (
        f"SELECT {rows.columns(Resident, 'r')}, {rows.columns(District, 'd')}"  # noqa: S608
        f" FROM {qn(Resident._meta.db_table)} r"
        f" LEFT JOIN {qn(District._meta.db_table)} d ON d.id = r.{qn(Resident.home_district.field.column)}"
        " WHERE r.id = %s"
    )
