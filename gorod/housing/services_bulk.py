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
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from gorod.accounts.models import Resident
from gorod.accounts.permissions import is_operator
from gorod.core.errors import DomainError
from gorod.housing import errors, rules
from gorod.housing.models import BuildingAdministrator, LinkStatus, Meter, MeterReset, PremiseLink, Reading
from gorod.housing.models.meters import ReadingSource
from gorod.housing.services_meters import HISTORY_MONTHS, PROGRAMME, check_meter_usable, reading_source_key
from gorod.points.services_bulk import AwardRequest, award_many


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


@transaction.atomic
def _import_batch(
    period: dt.date,
    batch: list[ImportedReading],
    offset: int,
    actor: Resident,
    report: BulkReport,
    today: dt.date | None,
) -> None:
    today = today or timezone.localdate()
    meter_ids = {r.meter_id for r in batch}
    meters = {m.pk: m for m in Meter.objects.filter(pk__any=meter_ids)}
    _check_scope(actor, {m.building_id for m in meters.values()})
    levels = dict(Resident.objects.filter(pk__any={r.resident_id for r in batch}).values_list("pk", "level"))
    links = set(
        PremiseLink.objects.filter(
            resident_id__any=list(levels),
            premise_id__any={m.premise_id for m in meters.values()},
            status=LinkStatus.CONFIRMED,
        ).values_list("resident_id", "premise_id")
    )
    history: dict[int, list[tuple[Any, ...]]] = {}
    for line in (
        Reading.objects.filter(
            meter_id__any=meter_ids, period__lt=period, period__gte=_months_before(period, HISTORY_MONTHS)
        )
        .order_by("meter_id", "-period")
        .values_list("meter_id", "value_1", "value_2", "value_3", "consumption", "submitted_at")
    ):
        history.setdefault(line[0], []).append(line[1:])
    resets: dict[int, MeterReset] = {}
    for reset in MeterReset.objects.filter(meter_id__any=meter_ids).order_by("meter_id", "recorded_at"):
        resets[reset.meter_id] = reset
    now = timezone.now()
    readings: list[Reading] = []
    awards: list[AwardRequest] = []
    seen: set[int] = set()
    for index, row in enumerate(batch, start=offset):
        meter = meters.get(row.meter_id)
        try:
            if meter is None:
                raise errors.MeterNotFound()
            if row.meter_id in seen:
                raise errors.InvalidInput(field="meter_id", meter_id=row.meter_id)
            if (row.resident_id, meter.premise_id) not in links:
                raise errors.NotYourMeter()
            check_meter_usable(meter, today)
            values = rules.parse_values(
                row.values, tariffs=meter.tariffs, resource=meter.resource, digits=meter.digits
            )
            earlier = history.get(meter.pk, [])
            last_reset = resets.get(meter.pk)
            if last_reset is not None and (not earlier or last_reset.recorded_at > earlier[0][4]):
                baseline = last_reset.values()
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
        padded: list[Decimal | None] = [*values, None, None][:3]
        readings.append(
            Reading(
                meter_id=meter.pk,
                period=period,
                value_1=values[0],
                value_2=padded[1],
                value_3=padded[2],
                consumption=use,
                source=ReadingSource.IMPORT,
                submitted_by_id=row.resident_id,
                submitted_at=now,
                flagged=bool(reason),
                flag_reason=reason,
            )
        )
        awards.append(
            AwardRequest(
                resident_id=row.resident_id,
                level=levels[row.resident_id],
                source_key=reading_source_key(meter.pk, period),
            )
        )
        report.flagged += bool(reason)
    _upsert_readings(readings)
    report.accepted += len(readings)
    if awards:
        granted = award_many(programme=PROGRAMME, action="meter_reading", requests=awards, actor=actor)
        report.points += sum(a.amount for a in granted if not a.replayed)


UPSERT_FIELDS = [
    "value_1",
    "value_2",
    "value_3",
    "consumption",
    "source",
    "submitted_by",
    "submitted_at",
    "flagged",
    "flag_reason",
]

# One statement per batch on PostgreSQL: columns travel as arrays and unnest into rows, which
# avoids compiling a placeholder per value (the ORM's bulk_create spends most of its time there).
PG_UPSERT = """
INSERT INTO housing_reading (meter_id, period, value_1, value_2, value_3, consumption, source,
                             submitted_by_id, submitted_at, flagged, flag_reason, submissions)
SELECT m, %s::date, v1, v2, v3, c, %s, s, %s::timestamptz, f, r, 1
FROM unnest(%s::bigint[], %s::numeric[], %s::numeric[], %s::numeric[], %s::numeric[], %s::bigint[],
            %s::boolean[], %s::text[]) AS t(m, v1, v2, v3, c, s, f, r)
ON CONFLICT (meter_id, period) DO UPDATE SET
  value_1 = EXCLUDED.value_1, value_2 = EXCLUDED.value_2, value_3 = EXCLUDED.value_3,
  consumption = EXCLUDED.consumption, source = EXCLUDED.source, submitted_by_id = EXCLUDED.submitted_by_id,
  submitted_at = EXCLUDED.submitted_at, flagged = EXCLUDED.flagged, flag_reason = EXCLUDED.flag_reason,
  submissions = housing_reading.submissions + 1
"""


def _upsert_readings(readings: list[Reading]) -> None:
    """Insert the batch's readings, replacing a period's earlier reading of the same meter."""
    if not readings:
        return
    if connection.vendor != "postgresql":
        Reading.objects.bulk_create(
            readings, update_conflicts=True, unique_fields=["meter", "period"], update_fields=UPSERT_FIELDS
        )
        return
    first = readings[0]
    with connection.cursor() as cursor:
        cursor.execute(
            PG_UPSERT,
            [
                first.period,
                ReadingSource.IMPORT,
                first.submitted_at,
                [r.meter_id for r in readings],
                [r.value_1 for r in readings],
                [r.value_2 for r in readings],
                [r.value_3 for r in readings],
                [r.consumption for r in readings],
                [r.submitted_by_id for r in readings],
                [r.flagged for r in readings],
                [r.flag_reason for r in readings],
            ],
        )
