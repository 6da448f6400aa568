"""Writes for meters and readings: one resident's submission and the bulk import path."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from gorod.accounts.models import Resident
from gorod.accounts.services import audit_record
from gorod.core.time import to_city
from gorod.housing import errors, permissions
from gorod.housing.meters import rules
from gorod.housing.meters.rules import check_meter_usable, reading_source_key
from gorod.housing.meters.selectors import baseline_of, window_of
from gorod.housing.models import Meter, MeterReset, Premise, Reading
from gorod.housing.models.meters import ReadingSource, ResetKind
from gorod.housing.permissions import require_admin
from gorod.points import services as points

PROGRAMME = "electronic_home"


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
    initial_values: Sequence[object] = (),
    actor: Resident,
) -> Meter:
    """Install a meter in a premise, starting from its initial reading (zeros if none is
    given): the first reading is compared with it."""
    require_admin(actor, premise.building_id)
    if not rules.tariffs_allowed(resource, tariffs):
        raise errors.InvalidInput(field="tariffs")
    if not 1 <= digits <= 12:
        raise errors.InvalidInput(field="digits")
    initial = (
        rules.parse_values(initial_values, tariffs=tariffs, resource=resource, digits=digits)
        if initial_values
        else [Decimal(0)] * tariffs
    )
    padded = initial + [None] * (3 - len(initial))
    try:
        with transaction.atomic():
            meter = Meter.objects.create(
                building_id=premise.building_id,
                premise=premise,
                resource=resource,
                serial=serial.strip(),
                tariffs=tariffs,
                digits=digits,
                verification_due=verification_due,
                installed_on=installed_on,
                initial_value_1=padded[0],
                initial_value_2=padded[1],
                initial_value_3=padded[2],
            )
    except IntegrityError:
        raise errors.MeterSerialTaken(field="serial") from None
    audit_record(
        actor=actor,
        action="housing.meter_create",
        target=meter,
        after={"serial": meter.serial, "initial": [str(v) for v in initial]},
    )
    return meter


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
    if kind not in ResetKind.values:
        raise errors.MeterResetKindInvalid(field="kind")
    parsed = rules.parse_values(values, tariffs=meter.tariffs, resource=meter.resource, digits=meter.digits)
    padded = parsed + [None] * (3 - len(parsed))
    reset = MeterReset.objects.create(
        meter=meter, kind=kind, value_1=parsed[0], value_2=padded[1], value_3=padded[2], recorded_by=actor
    )
    audit_record(actor=actor, action="housing.meter_reset", target=meter, after={"kind": kind})
    return reset
