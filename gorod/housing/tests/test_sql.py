"""housing/sql.py's statements leave what their ORM versions leave, on the database under test
(the suite runs on SQLite and on PostgreSQL, each with its own branch of the statement)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.db.models import F

from gorod.housing import sql
from gorod.housing.models import Reading
from gorod.housing.models.meters import ReadingSource
from gorod.housing.tests.factories import MeterFactory

pytestmark = pytest.mark.django_db
NOV = dt.date(2026, 11, 1)
# Any fixed instant: both versions are given the same one.
IMPORTED_AT = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)
COLUMNS = (
    "meter_id",
    "period",
    "value_1",
    "value_2",
    "value_3",
    "consumption",
    "source",
    "submitted_by_id",
    "submitted_at",
    "flagged",
    "flag_reason",
    "submissions",
)


def orm_readings_upsert(period: dt.date, now: dt.datetime, rows: sql.ReadingRows) -> None:
    """The plain version of ``sql.readings_upsert``: a row at a time, through the ORM."""
    for meter_id, v1, v2, v3, use, resident_id, reason in zip(
        rows.meter_ids,
        rows.value_1,
        rows.value_2,
        rows.value_3,
        rows.consumption,
        rows.submitted_by,
        rows.flag_reason,
        strict=True,
    ):
        fields: dict[str, Any] = {
            "value_1": v1,
            "value_2": v2,
            "value_3": v3,
            "consumption": use,
            "source": ReadingSource.IMPORT,
            "submitted_by_id": resident_id,
            "submitted_at": now,
            "flagged": bool(reason),
            "flag_reason": reason,
        }
        replaced = Reading.objects.filter(meter_id=meter_id, period=period).update(
            submissions=F("submissions") + 1, **fields
        )
        if not replaced:
            Reading.objects.create(meter_id=meter_id, period=period, submissions=1, **fields)


def readings_after(write: Callable[[], None]) -> list[tuple[Any, ...]]:
    """Every reading after ``write``, which is then undone so the other version starts alike."""
    with transaction.atomic():
        write()
        table = sorted(Reading.objects.values_list(*COLUMNS))
        transaction.set_rollback(True)
    return table


@pytest.mark.parametrize("per_statement", [sql.SQLITE_ROWS_PER_UPSERT, 2])
def test_readings_upsert_leaves_what_the_orm_leaves(premise: Any, owner: Any, per_statement: int) -> None:
    single = MeterFactory(premise=premise)
    two_tariff = MeterFactory(premise=premise, resource="electricity", tariffs=2, digits=6)
    replaced = MeterFactory(premise=premise)
    untouched = MeterFactory(premise=premise)
    # A reading of the period already there (replaced and counted) and readings the import
    # must leave alone (another period, another meter).
    Reading.objects.create(meter=replaced, period=NOV, value_1=Decimal("105"), consumption=Decimal("5"))
    Reading.objects.create(
        meter=replaced, period=dt.date(2026, 10, 1), value_1=Decimal("100"), consumption=Decimal("0")
    )
    Reading.objects.create(meter=untouched, period=NOV, value_1=Decimal("100.5"), consumption=Decimal("0.5"))
    rows = sql.ReadingRows()
    rows.add(single.pk, [Decimal("101.125")], Decimal("1.125"), owner.pk, "standard", "")
    rows.add(two_tariff.pk, [Decimal("2500"), Decimal("900")], Decimal("3400"), owner.pk, "standard", "jump")
    rows.add(replaced.pk, [Decimal("107.5")], Decimal("7.5"), owner.pk, "full", 'a "quoted", {braced} reason')

    by_sql = readings_after(
        lambda: sql.readings_upsert(NOV, IMPORTED_AT, rows, sqlite_rows_per_statement=per_statement)
    )
    by_orm = readings_after(lambda: orm_readings_upsert(NOV, IMPORTED_AT, rows))

    assert by_sql == by_orm
    assert len(by_sql) == 5
    replaced_now = next(r for r in by_sql if r[0] == replaced.pk and r[1] == NOV)
    assert replaced_now[2] == Decimal("107.5") and replaced_now[-1] == 2  # replaced, counted twice
    untouched_now = next(r for r in by_sql if r[0] == untouched.pk)
    assert untouched_now[6] == ReadingSource.RESIDENT and untouched_now[-1] == 1


def test_readings_upsert_of_nothing_writes_nothing(premise: Any) -> None:
    MeterFactory(premise=premise)
    assert readings_after(lambda: sql.readings_upsert(NOV, IMPORTED_AT, sql.ReadingRows())) == []
