"""Our City's hand-written SQL (ADR 0005: only in sql.py, each paired with a test against the
ORM; the map query's twin is checked in problems/tests/test_map_paging.py on both databases)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet


def unprepared_rows(rows: QuerySet[Any]) -> list[tuple[Any, ...]]:
    """The rows of a ``values_list`` query; on PostgreSQL planned for its own parameters.

    The map's box is a range on both coordinates. Once psycopg prepares the statement (the 5th
    run on a connection), PostgreSQL may settle on a generic plan, costed for an average box: at
    100k reports it walked the whole box through the location index for a whole-city viewport
    (p95 157 ms, 242 ms at 200k) where the plan for the actual box walks the primary key
    backwards and stops at the limit (9 ms). Parsing and planning this one query each time costs
    well under a millisecond; every other statement stays prepared. ``values_list`` of plain
    columns needs no converters on PostgreSQL (numerics come back as Decimal), so the rows are
    the ORM's. SQLite prepares nothing across calls: the ORM runs it there, as it does when
    queries are being logged (tests counting them, DEBUG)."""
    db = connections[rows.db or DEFAULT_DB_ALIAS]
    if db.vendor != "postgresql" or db.queries_logged:
        return list(rows)
    try:
        sql_text, params = rows.query.get_compiler(using=rows.db).as_sql()
    except EmptyResultSet:  # .none(): an unknown topic or district code
        return []
    with db.cursor() as cursor:
        cursor.cursor.execute(sql_text, params, prepare=False)
        return [tuple(row) for row in cursor.fetchall()]
