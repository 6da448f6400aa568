"""The bulk import path for readings (e.g. a month of readings collected by other channels).

Rows are checked with the same rules as a resident's submission (tariff count, format, never
lower than the baseline, archived or overdue meters, suspicious jumps), except the window:
the import carries its period explicitly. Each batch is one transaction with a constant
number of statements: a few reads, one upsert of readings (housing/sql.py) and the ledger's
``award_many``.
Bad rows are reported by their index and skipped; good rows of the batch are written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from django.db import transaction
from django.utils import timezone

from gorod.accounts.models import Resident
from gorod.accounts.permissions import is_operator
from gorod.core.errors import DomainError
from gorod.core.time import city_today
from gorod.housing import errors, sql
from gorod.housing.meters import rules
from gorod.housing.meters.rules import check_meter_usable, reading_source_keys
from gorod.housing.meters.selectors import HISTORY_MONTHS
from gorod.housing.meters.services import PROGRAMME
from gorod.housing.models import BuildingAdministrator, LinkStatus, Meter, MeterReset, PremiseLink, Reading
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
    accepted = sql.ReadingRows()
    seen: set[int] = set()
    for index, row in enumerate(batch, start=offset):
        meter = meters.get(row.meter_id)
        try:
            if meter is None:
                raise errors.MeterNotFound()
            if meter.pk in seen:
                raise errors.ReadingMeterTwice(field="meter_id", meter_id=row.meter_id)
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
    sql.readings_upsert(period, timezone.now(), accepted)
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
