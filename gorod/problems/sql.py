"""Our City's hand-written SQL (ADR 0005: only in sql.py, each paired with a test against the
ORM; the map query's twin is checked in problems/tests/test_map_paging.py on both databases)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import BooleanField, Model, QuerySet
from django.db.models.expressions import RawSQL

# The GiST expression index of migration 0004 (PostgreSQL only) is on exactly this expression;
# the planner uses it only for a condition written the same way.
REPORT_POINT = 'point("problems_report"."longitude", "problems_report"."latitude")'
# The largest box (in square degrees) read through that index: about 2 x 3.5 km in Moscow,
# 1/175 of the city; a larger one is read newest first along the primary key (in_box says why).
SPATIAL_MAX_DEG2 = Decimal("0.001")

M = TypeVar("M", bound=Model)


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


def in_box(
    reports: QuerySet[M], min_lon: Decimal, min_lat: Decimal, max_lon: Decimal, max_lat: Decimal
) -> QuerySet[M]:
    """Reports inside a box of degrees, edges included.

    On PostgreSQL the box is one condition on the reports' points, answered by the GiST index
    ``report_point`` (migration 0004): the two ranges it replaces were read through a
    (latitude, longitude) B-tree, which walks the whole latitude band of the box whatever its
    width (about 8.6k entries for a street at 1M reports, the map's p95 1.73x the 100k one).
    SQLite has no such index: it keeps the ranges and its B-tree. The corners are the same
    six-decimal values either way; a numeric of six decimals and the float of its text are the
    same double, so a report on an edge is inside on both databases.

    Only a small box goes through the index. PostgreSQL has no statistics for ``<@`` on points:
    it guesses 0.1% of the table for any box, so for a district or the whole city it fetched
    every report in the box through the index and sorted them (245 ms and 2.7 s at 1M reports)
    instead of walking the primary key backwards to the limit, which the plain ranges (costed
    from the columns' statistics, with no B-tree left to tempt it) still get."""
    area_deg2 = (max_lon - min_lon) * (max_lat - min_lat)
    spatial = (
        connections[reports.db or DEFAULT_DB_ALIAS].vendor == "postgresql" and area_deg2 <= SPATIAL_MAX_DEG2
    )
    if not spatial:
        return reports.filter(
            latitude__gte=min_lat, latitude__lte=max_lat, longitude__gte=min_lon, longitude__lte=max_lon
        )
    corners = [float(min_lon), float(min_lat), float(max_lon), float(max_lat)]
    # A constant expression and four bound parameters: nothing from the request is spliced in.
    inside = RawSQL(  # noqa: S611
        f"{REPORT_POINT} <@ box(point(%s, %s), point(%s, %s))", corners, output_field=BooleanField()
    )
    return reports.filter(inside)
