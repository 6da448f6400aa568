"""Hand-written SQL of Electronic Home, kept here and nowhere else in the app.

Each statement does what an ORM version does, faster where the ORM's shape costs too much; each
is paired with a test (housing/tests/test_sql.py) that runs both on the database under test (SQLite or
PostgreSQL) and compares what they leave behind. Only constant column lists are formatted into
the text; every value is a bound parameter.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection

from gorod.core.db import pg_arrays
from gorod.housing.models import Reading
from gorod.housing.models.meters import ReadingSource


class ReadingRows:
    """Readings of one period, column by column, ready for one multi-row upsert."""

    def __init__(self) -> None:
        self.meter_ids: list[int] = []
        self.value_1: list[Decimal] = []
        self.value_2: list[Decimal | None] = []
        self.value_3: list[Decimal | None] = []
        self.consumption: list[Decimal] = []
        self.submitted_by: list[int] = []
        self.levels: list[str] = []
        self.flag_reason: list[str] = []

    def add(
        self, meter_id: int, values: list[Decimal], use: Decimal, resident_id: int, level: str, reason: str
    ) -> None:
        self.meter_ids.append(meter_id)
        self.value_1.append(values[0])
        self.value_2.append(values[1] if len(values) > 1 else None)
        self.value_3.append(values[2] if len(values) > 2 else None)
        self.consumption.append(use)
        self.submitted_by.append(resident_id)
        self.levels.append(level)
        self.flag_reason.append(reason)


# Columns of housing_reading in the order both upserts below write them.
COLUMNS = (
    "meter_id, period, value_1, value_2, value_3, consumption, source, submitted_by_id, submitted_at,"
    " flagged, flag_reason, submissions"
)
ON_CONFLICT = """
ON CONFLICT (meter_id, period) DO UPDATE SET
  value_1 = excluded.value_1, value_2 = excluded.value_2, value_3 = excluded.value_3,
  consumption = excluded.consumption, source = excluded.source, submitted_by_id = excluded.submitted_by_id,
  submitted_at = excluded.submitted_at, flagged = excluded.flagged, flag_reason = excluded.flag_reason,
  submissions = housing_reading.submissions + 1
"""

# One statement per batch on PostgreSQL: columns travel as array literals and unnest into rows
# (no placeholder per value, no per-element rendering in Python). Only the constant column
# lists above are formatted in; every value is a bound parameter.
PG_UPSERT = f"""
INSERT INTO housing_reading ({COLUMNS})
SELECT m, %s::date, v1, v2, v3, c, %s, s, %s::timestamptz, f, r, 1
FROM unnest(%s::bigint[], %s::numeric[], %s::numeric[], %s::numeric[], %s::numeric[], %s::bigint[],
            %s::boolean[], %s::text[]) AS t(m, v1, v2, v3, c, s, f, r)
{ON_CONFLICT}"""  # noqa: S608

# SQLite refuses a statement with more than 32,766 parameters (12 a reading here).
SQLITE_ROWS_PER_UPSERT = 2000


def readings_upsert(
    period: dt.date,
    now: dt.datetime,
    rows: ReadingRows,
    *,
    sqlite_rows_per_statement: int = SQLITE_ROWS_PER_UPSERT,
) -> None:
    """Insert the readings of ``period`` as imported at ``now``, replacing a meter's earlier
    reading of the same period (and counting the resubmission), as ``Reading.objects`` would with
    one ``update_or_create`` a row; the caller holds the transaction."""
    fields = {f.name: f for f in Reading._meta.concrete_fields}
    day = fields["period"].get_db_prep_save(period, connection)
    when = fields["submitted_at"].get_db_prep_save(now, connection)
    flagged = [bool(r) for r in rows.flag_reason]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                PG_UPSERT,
                [
                    day,
                    ReadingSource.IMPORT.value,
                    when,
                    pg_arrays.numbers(rows.meter_ids),
                    pg_arrays.numbers(rows.value_1),
                    pg_arrays.numbers(rows.value_2),
                    pg_arrays.numbers(rows.value_3),
                    pg_arrays.numbers(rows.consumption),
                    pg_arrays.numbers(rows.submitted_by),
                    pg_arrays.booleans(flagged),
                    pg_arrays.texts(rows.flag_reason),
                ],
            )
            return
        lines = list(
            zip(
                rows.meter_ids,
                rows.value_1,
                rows.value_2,
                rows.value_3,
                rows.consumption,
                rows.submitted_by,
                flagged,
                rows.flag_reason,
                strict=True,
            )
        )
        for first in range(0, len(lines), sqlite_rows_per_statement):
            chunk = lines[first : first + sqlite_rows_per_statement]
            values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, 1)"] * len(chunk))
            cursor.execute(
                f"INSERT INTO housing_reading ({COLUMNS}) VALUES {values} {ON_CONFLICT}",  # noqa: S608
                [
                    value
                    for m, v1, v2, v3, c, s, f, r in chunk
                    for value in (m, day, v1, v2, v3, c, ReadingSource.IMPORT.value, s, when, f, r)
                ],
            )
