"""Hand-written SQL of the accounts app: the lookups every request runs (session, signed-in
resident, API token) and the Idempotency-Key claim every keyed write runs.

Through the ORM, compiling each of these cost more CPU than the database took to answer (about
1 ms for the token lookup; gorod.core.db.rows explains the pattern), so each statement is written
once per process and its rows are turned into models as the ORM would. Only identifiers from
the models' metadata are formatted into the SQL; every value is a bound parameter (hence the
file-wide S608 exemption). Each function is paired with a test that it answers what its ORM
version answers, on SQLite and PostgreSQL (accounts/tests/test_sql.py; ADR 0005).
"""
# ruff: noqa: S608

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from django.contrib.sessions.models import Session
from django.db import connection, connections

from gorod.accounts.models import ApiToken, District, IdempotencyRecord, Resident
from gorod.core.db import rows


def session_row(alias: str, session_key: str | None, now: dt.datetime) -> Session | None:
    """``Session.objects.filter(session_key=..., expire_date__gt=now).first()``."""
    db = connections[alias]
    with db.cursor() as cursor:
        cursor.execute(_session_sql(alias), [session_key, db.ops.adapt_datetimefield_value(now)])
        row = cursor.fetchone()
    return None if row is None else rows.from_row(Session, row)


@functools.cache
def _session_sql(alias: str) -> str:
    qn = connections[alias].ops.quote_name
    return (
        f"SELECT {rows.columns(Session, 's')} FROM {qn(Session._meta.db_table)} s"
        " WHERE s.session_key = %s AND s.expire_date > %s"
    )


def resident_with_district(user_id: Any) -> Resident | None:
    """``Resident.objects.select_related("home_district").filter(pk=...).first()`` (None for an
    id that is not a number), the district cached on the resident."""
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
    qn = connection.ops.quote_name
    return (
        f"SELECT {rows.columns(Resident, 'r')}, {rows.columns(District, 'd')}"
        f" FROM {qn(Resident._meta.db_table)} r"
        f" LEFT JOIN {qn(District._meta.db_table)} d ON d.id = r.{qn(Resident.home_district.field.column)}"
        " WHERE r.id = %s"
    )


def live_token(digest: str) -> ApiToken | None:
    """``ApiToken.objects.select_related("resident").filter(digest=..., revoked_at=None).first()``
    (the digest is unique: one row at most)."""
    with connection.cursor() as cursor:
        cursor.execute(_live_token_sql(connection.vendor), [digest])
        row = cursor.fetchone()
    if row is None:
        return None
    split = rows.width(ApiToken)
    token = rows.from_row(ApiToken, row[:split])
    token.resident = rows.from_row(Resident, row[split:])
    return token


@functools.cache
def _live_token_sql(vendor: str) -> str:
    qn = connection.ops.quote_name
    return (
        f"SELECT {rows.columns(ApiToken, 't')}, {rows.columns(Resident, 'r')}"
        f" FROM {qn(ApiToken._meta.db_table)} t JOIN {qn(Resident._meta.db_table)} r ON r.id = t.resident_id"
        " WHERE t.digest = %s AND t.revoked_at IS NULL"
    )


# Every keyed write runs the claim and the answer's update: through the ORM they cost more CPU
# than the rest of a small write, and the claim needed a savepoint to survive a taken key. Here
# a taken key inserts nothing (and, when the key's first request is still running, waits for it
# on the unique index, as before).
def idempotency_claim(
    *, resident_id: int, key: str, method: str, path: str, request_hash: str, now: dt.datetime
) -> int | None:
    """A new, unanswered claim's id, or None when the resident's key is already taken: what
    ``IdempotencyRecord.objects.create(...)`` in a savepoint does, without raising."""
    values: list[Any] = [
        resident_id,
        key,
        method,
        path,
        request_hash,
        "",
        b"",
        connection.ops.adapt_datetimefield_value(now),
    ]
    with connection.cursor() as cursor:
        cursor.execute(_claim_sql(connection.vendor), values)
        row = cursor.fetchone()
    return int(row[0]) if row is not None else None


def idempotency_answer(claim_id: int, status: int, content_type: str, body: bytes) -> None:
    """``IdempotencyRecord.objects.filter(pk=claim_id).update(status=..., content_type=..., body=...)``."""
    with connection.cursor() as cursor:
        cursor.execute(_answer_sql(connection.vendor), [status, content_type, body, claim_id])


def _columns(*names: str) -> list[str]:
    column = {f.name: f.column for f in IdempotencyRecord._meta.concrete_fields}
    return [connection.ops.quote_name(column[name]) for name in names]


@functools.cache
def _claim_sql(vendor: str) -> str:
    table = connection.ops.quote_name(IdempotencyRecord._meta.db_table)
    resident, key, *rest = _columns(
        "resident", "key", "method", "path", "request_hash", "content_type", "body", "created_at"
    )
    (pk,) = _columns("id")
    names = ", ".join([resident, key, *rest])
    marks = ", ".join(["%s"] * (2 + len(rest)))
    return (
        f"INSERT INTO {table} ({names}) VALUES ({marks})"
        f" ON CONFLICT ({resident}, {key}) DO NOTHING RETURNING {pk}"
    )


@functools.cache
def _answer_sql(vendor: str) -> str:
    table = connection.ops.quote_name(IdempotencyRecord._meta.db_table)
    status, content_type, body, pk = _columns("status", "content_type", "body", "id")
    return f"UPDATE {table} SET {status} = %s, {content_type} = %s, {body} = %s WHERE {pk} = %s"
