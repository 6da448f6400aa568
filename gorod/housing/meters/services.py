"""Writes for meters and readings: one resident's submission and the bulk import path."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from gorod.accounts.models import Resident
from gorod.accounts.services import audit_record
from gorod.core.time import city_today, to_city
from gorod.housing import errors, permissions, rules
from gorod.housing.buildings.services import require_admin
from gorod.housing.models import Meter, MeterReset, Premise, Reading, ReadingWindow
from gorod.housing.models.meters import ReadingSource
from gorod.points import services as points

PROGRAMME = "electronic_home"
# shared_cache scope of the reading windows (gorod.core.shared_cache): a change bumps it
WINDOWS_SCOPE = "housing.reading_windows"
HISTORY_MONTHS = 12


def reading_source_key(meter_id: int, period: dt.date) -> str:
    return reading_source_keys([meter_id], period)[0]


def reading_source_keys(meter_ids: Iterable[int], period: dt.date) -> list[str]:
    """``reading_source_key`` for many meters of one period (the month is formatted once)."""
    month = f"{period:%Y-%m}"
    return [f"reading:{meter_id}:{month}" for meter_id in meter_ids]


def window_of(resource: str, building_id: int | None = None) -> tuple[int, int]:
    """The building's own window for the resource, else the city's, else the Moscow default."""
    return windows_of([resource], building_id)[resource]


def windows_of(resources: Iterable[str], building_id: int | None = None) -> dict[str, tuple[int, int]]:
    """``window_of`` for several resources in one query (the home page asks for all of them)."""
    wanted = set(resources)
    rows = ReadingWindow.objects.filter(resource__in=wanted, building__isnull=True)
    if building_id is not None:
        rows = ReadingWindow.objects.filter(
            Q(building__isnull=True) | Q(building_id=building_id), resource__in=wanted
        )
    found: dict[str, tuple[int, int]] = {}
    # City rows first, then the building's, so the building's own window wins.
    for w in sorted(rows, key=lambda w: (w.building_id is not None, w.pk)):
        found[w.resource] = (w.start_day, w.end_day)
    return {resource: found.get(resource) or rules.DEFAULT_WINDOWS[resource] for resource in wanted}


@transaction.atomic
def meter_create(
    *,
    premise: Premise,
    resource: str,
    serial: str,
    verification_due: dt.date,
    installed_on: dt.date,
    tariffs: int = 1,
    digits: int = 5,
    initial_values: Sequence[Decimal] = (),
    actor: Resident,
) -> Meter:
    require_admin(actor, premise.building_id)
    initial = list(initial_values) + [Decimal(0)] * (tariffs - len(initial_values))
    meter = Meter.objects.create(
        building_id=premise.building_id,
        premise=premise,
        resource=resource,
        serial=serial,
        tariffs=tariffs,
        digits=digits,
        verification_due=verification_due,
        installed_on=installed_on,
        initial_value_1=initial[0],
        initial_value_2=initial[1] if tariffs > 1 else None,
        initial_value_3=initial[2] if tariffs > 2 else None,
    )
    audit_record(actor=actor, action="housing.meter_create", target=meter, after={"serial": serial})
    return meter


class UsableFacts(Protocol):
    """What decides whether a meter takes readings (a Meter, or the bulk path's plain row)."""

    @property
    def archived_on(self) -> dt.date | None: ...

    @property
    def verification_due(self) -> dt.date: ...


def check_meter_usable(meter: UsableFacts, today: dt.date) -> None:
    if meter.archived_on is not None and meter.archived_on <= today:
        raise errors.MeterArchived()
    if meter.verification_due < today:
        raise errors.MeterVerificationOverdue(due=meter.verification_due.isoformat())


@dataclass(frozen=True)
class Baseline:
    values: list[Decimal]
    history: list[Decimal]


def baseline_of(meter: Meter, period: dt.date) -> tuple[Reading | None, Baseline]:
    """The period's reading if there is one (one query with the history), and the values a new
    reading for ``period`` is compared with: the last accepted reading of an earlier period, or
    a replacement/rollover recorded after it, or the initial values."""
    rows = list(
        Reading.objects.filter(meter=meter, period__lte=period).order_by("-period")[: HISTORY_MONTHS + 1]
    )
    current = rows[0] if rows and rows[0].period == period else None
    earlier = rows[1 if current is not None else 0 :][:HISTORY_MONTHS]
    reset_query = MeterReset.objects.filter(meter=meter)
    if earlier:
        reset_query = reset_query.filter(recorded_at__gt=earlier[0].submitted_at)
    reset = reset_query.order_by("-recorded_at").first()
    if reset is not None:
        values = reset.values()
    elif earlier:
        last = earlier[0]
        values = [v for v in (last.value_1, last.value_2, last.value_3) if v is not None]
    else:
        values = meter.initial_values()
    return current, Baseline(values=values[: meter.tariffs], history=[row.consumption for row in earlier])


@transaction.atomic
def reading_submit(
    *,
    meter: Meter,
    resident: Resident,
    values: Sequence[object],
    now: dt.datetime | None = None,
    source: str = ReadingSource.RESIDENT,
) -> Reading:
    """Accept a reading for the current period, or refuse it with a reason and write nothing.

    A resubmission in the same window replaces the period's reading; points are awarded once
    per meter and period (the ledger's source key makes a replay a no-op)."""
    now = now or timezone.now()
    if source == ReadingSource.ADMINISTRATOR:
        require_admin(resident, meter.building_id)
    elif not permissions.linked_to_premise(resident, meter.premise_id):
        raise errors.NotYourMeter()
    city_day = to_city(now).date()
    check_meter_usable(meter, city_day)
    start, end = window_of(meter.resource, meter.building_id)
    period = rules.reading_period(city_day, start_day=start, end_day=end)
    if period is None:
        raise errors.ReadingOutsideWindow(start=start, end=end)
    parsed = rules.parse_values(values, tariffs=meter.tariffs, resource=meter.resource, digits=meter.digits)
    locked = Meter.objects.select_for_update().get(pk=meter.pk)
    reading, baseline = baseline_of(locked, period)
    rules.check_not_lower(parsed, baseline.values)
    use = rules.consumption(parsed, baseline.values)
    reason = rules.suspicious_reason(use, history=baseline.history, resource=meter.resource)
    padded = parsed + [None] * (3 - len(parsed))
    fields = {
        "value_1": padded[0],
        "value_2": padded[1],
        "value_3": padded[2],
        "consumption": use,
        "source": source,
        "submitted_by": resident,
        "submitted_at": now,
        "flagged": bool(reason),
        "flag_reason": reason,
    }
    if reading is None:
        reading = Reading.objects.create(meter=locked, period=period, **fields)
    else:
        for name, value in fields.items():
            setattr(reading, name, value)
        reading.submissions += 1
        reading.save()
    if source == ReadingSource.RESIDENT:
        points.award(
            resident=resident,
            programme=PROGRAMME,
            action="meter_reading",
            source_key=reading_source_key(meter.pk, period),
        )
    return reading


@transaction.atomic
def meter_reset_record(*, meter: Meter, kind: str, values: Sequence[object], actor: Resident) -> MeterReset:
    """Record a replacement or rollover so the next reading may be lower than the last one."""
    require_admin(actor, meter.building_id)
    parsed = rules.parse_values(values, tariffs=meter.tariffs, resource=meter.resource, digits=meter.digits)
    padded = parsed + [None] * (3 - len(parsed))
    reset = MeterReset.objects.create(
        meter=meter, kind=kind, value_1=parsed[0], value_2=padded[1], value_3=padded[2], recorded_by=actor
    )
    audit_record(actor=actor, action="housing.meter_reset", target=meter, after={"kind": kind})
    return reset


@transaction.atomic
def meter_archive(*, meter: Meter, on: dt.date | None = None, actor: Resident) -> Meter:
    require_admin(actor, meter.building_id)
    meter.archived_on = on or city_today()
    meter.save(update_fields=["archived_on"])
    audit_record(
        actor=actor, action="housing.meter_archive", target=meter, after={"on": str(meter.archived_on)}
    )
    return meter
