"""The bulk import path for readings (e.g. a month of readings collected by other channels).

Rows are checked with the same rules as a resident's submission (tariff count, format, never
lower than the baseline, archived or overdue meters, suspicious jumps), except the window:
the import carries its period explicitly. Each batch is one transaction with a constant
number of statements: a few reads, one upsert of readings and the ledger's ``award_many``.
Bad rows are reported by their index and skipped; good rows of the batch are written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from django.db import connection, transaction
from django.utils import timezone

from gorod.accounts.models import Resident
from gorod.accounts.permissions import is_operator
from gorod.core import pg_arrays
from gorod.core.errors import DomainError
from gorod.core.time import city_today
from gorod.housing import errors
from gorod.housing.meters import rules
from gorod.housing.meters.rules import check_meter_usable, reading_source_keys
from gorod.housing.meters.selectors import HISTORY_MONTHS
from gorod.housing.meters.services import PROGRAMME
from gorod.housing.models import BuildingAdministrator, LinkStatus, Meter, MeterReset, PremiseLink, Reading
from gorod.housing.models.meters import ReadingSource
from gorod.points.services_bulk import AwardRequest, award_many_granted


@dataclass(frozen=True)
class ImportedReading:
    meter_id: int
    resident_id: int
    values: Sequence[object]


@dataclass
class BulkReport:
    accepted: int = 0
    flagged: int = 0
    points: int = 0
    errors: list[tuple[int, str, str]] = field(default_factory=list)


def _months_before(period: dt.date, months: int) -> dt.date:
    index = period.year * 12 + period.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 1)


def _check_scope(actor: Resident, building_ids: set[int]) -> None:
    if is_operator(actor):
        return
    mine = set(
        BuildingAdministrator.objects.filter(resident=actor, building_id__in=building_ids).values_list(
            "building_id", flat=True
        )
    )
    if building_ids - mine:
        raise errors.NotYourBuilding()


def readings_import(
    *,
    period: dt.date,
    rows: Iterable[ImportedReading],
    actor: Resident,
    batch_size: int = 2000,
    today: dt.date | None = None,
) -> BulkReport:
    report = BulkReport()
    period = rules.first_of_month(period)
    batch: list[ImportedReading] = []
    offset = 0
    for row in rows:
        batch.append(row)
        if len(batch) >= batch_size:
            _import_batch(period, batch, offset, actor, report, today)
            offset += len(batch)
            batch = []
    if batch:
        _import_batch(period, batch, offset, actor, report, today)
    return report


class _MeterFacts(NamedTuple):
    """The columns of a meter that the rules read; a tuple costs a fraction of a Meter."""

    pk: int
    building_id: int
    premise_id: int
    resource: str
    tariffs: int
    digits: int
    verification_due: dt.date
    archived_on: dt.date | None
    initial_value_1: Decimal
    initial_value_2: Decimal | None
    initial_value_3: Decimal | None

    def initial_values(self) -> list[Decimal]:
        values = [self.initial_value_1, self.initial_value_2, self.initial_value_3][: self.tariffs]
        return [v if v is not None else Decimal(0) for v in values]


@transaction.atomic
def _import_batch(
    period: dt.date,
    batch: list[ImportedReading],
    offset: int,
    actor: Resident,
    report: BulkReport,
    today: dt.date | None,
) -> None:
    # The city's date, as for a single reading: a meter due today in Moscow is due, whatever UTC says.
    today = today or city_today()
    # Sets, not lists: Django resolves a list's elements one by one as possible expressions.
    meter_ids = {r.meter_id for r in batch}
    meters = {
        m[0]: _MeterFacts._make(m)
        for m in Meter.objects.filter(pk__any=meter_ids).order_by().values_list(*_MeterFacts._fields)
    }
    _check_scope(actor, {m.building_id for m in meters.values()})
    # Confirmed links of the batch's residents to the batch's premises, with each resident's
    # level (what a reading earns) in the same query.
    level_of = {
        (resident_id, premise_id): level
        for resident_id, premise_id, level in PremiseLink.objects.filter(
            resident_id__any={r.resident_id for r in batch},
            premise_id__any={m.premise_id for m in meters.values()},
            status=LinkStatus.CONFIRMED,
        )
        .order_by()
        .values_list("resident_id", "premise_id", "resident__level")
    }
    resets: dict[int, tuple[Any, ...]] = {}
    for reset in (
        MeterReset.objects.filter(meter_id__any=meter_ids)
        .order_by("meter_id", "recorded_at")
        .values_list("meter_id", "value_1", "value_2", "value_3", "recorded_at")
    ):
        resets[reset[0]] = reset[1:]
    # When a reading was submitted matters only against a reset; loading 2,000 timestamps a
    # batch for nothing was a tenth of the batch's Python time.
    columns = ["meter_id", "value_1", "value_2", "value_3", "consumption"] + (
        ["submitted_at"] if resets else []
    )
    history: dict[int, list[tuple[Any, ...]]] = {}
    for line in (
        Reading.objects.filter(
            meter_id__any=meter_ids, period__lt=period, period__gte=_months_before(period, HISTORY_MONTHS)
        )
        .order_by("meter_id", "-period")
        .values_list(*columns)
    ):
        history.setdefault(line[0], []).append(line[1:])
    accepted = _Accepted()
    seen: set[int] = set()
    for index, row in enumerate(batch, start=offset):
        meter = meters.get(row.meter_id)
        try:
            if meter is None:
                raise errors.MeterNotFound()
            if meter.pk in seen:
                raise errors.InvalidInput(field="meter_id", meter_id=row.meter_id)
            level = level_of.get((row.resident_id, meter.premise_id))
            if level is None:
                raise errors.NotYourMeter()
            check_meter_usable(meter, today)
            values = rules.parse_values(
                row.values, tariffs=meter.tariffs, resource=meter.resource, digits=meter.digits
            )
            earlier = history.get(meter.pk, [])
            last_reset = resets.get(meter.pk)
            if last_reset is not None and (not earlier or last_reset[3] > earlier[0][4]):
                baseline = [v for v in last_reset[:3] if v is not None]
            elif earlier:
                baseline = [v for v in earlier[0][:3] if v is not None]
            else:
                baseline = meter.initial_values()
            rules.check_not_lower(values, baseline)
        except DomainError as exc:
            report.errors.append((index, exc.code, exc.text))
            continue
        seen.add(meter.pk)
        use = rules.consumption(values, baseline)
        reason = rules.suspicious_reason(use, history=[h[3] for h in earlier], resource=meter.resource)
        accepted.add(meter.pk, values, use, row.resident_id, level, reason)
        report.flagged += bool(reason)
    if not accepted.meter_ids:
        return
    _upsert_readings(period, timezone.now(), accepted)
    report.accepted += len(accepted.meter_ids)
    awards = [
        AwardRequest(resident_id, level, key)
        for resident_id, level, key in zip(
            accepted.submitted_by,
            accepted.levels,
            reading_source_keys(accepted.meter_ids, period),
            strict=True,
        )
    ]
    granted = award_many_granted(programme=PROGRAMME, action="meter_reading", requests=awards, actor=actor)
    report.points += sum(g.amount for g in granted if not g.replayed)


class _Accepted:
    """The batch's accepted readings, column by column, ready for one multi-row upsert."""

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
_COLUMNS = (
    "meter_id, period, value_1, value_2, value_3, consumption, source, submitted_by_id, submitted_at,"
    " flagged, flag_reason, submissions"
)
_ON_CONFLICT = """
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
INSERT INTO housing_reading ({_COLUMNS})
SELECT m, %s::date, v1, v2, v3, c, %s, s, %s::timestamptz, f, r, 1
FROM unnest(%s::bigint[], %s::numeric[], %s::numeric[], %s::numeric[], %s::numeric[], %s::bigint[],
            %s::boolean[], %s::text[]) AS t(m, v1, v2, v3, c, s, f, r)
{_ON_CONFLICT}"""  # noqa: S608

# SQLite refuses a statement with more than 32,766 parameters (12 a reading here).
_SQLITE_ROWS_PER_UPSERT = 2000


def _upsert_readings(period: dt.date, now: dt.datetime, accepted: _Accepted) -> None:
    """Insert the batch's readings, replacing a period's earlier reading of the same meter."""
    fields = {f.name: f for f in Reading._meta.concrete_fields}
    day = fields["period"].get_db_prep_save(period, connection)
    when = fields["submitted_at"].get_db_prep_save(now, connection)
    flagged = [bool(r) for r in accepted.flag_reason]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                PG_UPSERT,
                [
                    day,
                    ReadingSource.IMPORT.value,
                    when,
                    pg_arrays.numbers(accepted.meter_ids),
                    pg_arrays.numbers(accepted.value_1),
                    pg_arrays.numbers(accepted.value_2),
                    pg_arrays.numbers(accepted.value_3),
                    pg_arrays.numbers(accepted.consumption),
                    pg_arrays.numbers(accepted.submitted_by),
                    pg_arrays.booleans(flagged),
                    pg_arrays.texts(accepted.flag_reason),
                ],
            )
            return
        rows = list(
            zip(
                accepted.meter_ids,
                accepted.value_1,
                accepted.value_2,
                accepted.value_3,
                accepted.consumption,
                accepted.submitted_by,
                flagged,
                accepted.flag_reason,
                strict=True,
            )
        )
        for first in range(0, len(rows), _SQLITE_ROWS_PER_UPSERT):
            chunk = rows[first : first + _SQLITE_ROWS_PER_UPSERT]
            values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, 1)"] * len(chunk))
            cursor.execute(
                f"INSERT INTO housing_reading ({_COLUMNS}) VALUES {values} {_ON_CONFLICT}",  # noqa: S608
                [
                    value
                    for m, v1, v2, v3, c, s, f, r in chunk
                    for value in (m, day, v1, v2, v3, c, ReadingSource.IMPORT.value, s, when, f, r)
                ],
            )
