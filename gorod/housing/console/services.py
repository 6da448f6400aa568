"""Console writes of Electronic Home that the resident pages rely on: buildings and their
administrators, premises, the owners register with its history, meter replacement and
reading windows. Each is one transaction, checked against the actor's building and recorded
in the audit log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from django.db import IntegrityError, transaction

from gorod.accounts.models import Resident
from gorod.accounts.services import audit_record
from gorod.core.time import city_today
from gorod.housing import errors
from gorod.housing.buildings import rules as buildings_rules
from gorod.housing.meters import rules as meters_rules
from gorod.housing.meters.selectors import baseline_of
from gorod.housing.meters.services import meter_create
from gorod.housing.models import (
    Building,
    BuildingAdministrator,
    Meter,
    Ownership,
    OwnershipKind,
    Premise,
    Reading,
    ReadingWindow,
)
from gorod.housing.models.meters import ReadingSource
from gorod.housing.permissions import require_admin, require_operator


@transaction.atomic
def building_update(
    *, building: Building, address: str, year_built: int | None, management_organisation: str, actor: Resident
) -> Building:
    require_admin(actor, building)
    before = {"address": building.address, "management_organisation": building.management_organisation}
    building.address = address.strip()
    building.year_built = year_built
    building.management_organisation = management_organisation.strip()
    try:
        with transaction.atomic():
            building.save(update_fields=["address", "year_built", "management_organisation"])
    except IntegrityError:
        raise errors.InvalidInput(field="address") from None
    audit_record(
        actor=actor,
        action="housing.building_update",
        target=building,
        before=before,
        after={"address": building.address, "management_organisation": building.management_organisation},
    )
    return building


@transaction.atomic
def administrator_remove(*, assignment: BuildingAdministrator, actor: Resident) -> None:
    """Only the city operator assigns and removes building administrators."""
    require_operator(actor)
    audit_record(
        actor=actor,
        action="housing.administrator_remove",
        target=assignment.building,
        before={"resident": assignment.resident_id},
    )
    assignment.delete()


@transaction.atomic
def premise_update(*, premise: Premise, number: str, kind: str, area: Decimal, actor: Resident) -> Premise:
    require_admin(actor, premise.building_id)
    if area <= 0:
        raise errors.InvalidArea(field="area")
    before = {"number": premise.number, "kind": premise.kind, "area": str(premise.area)}
    premise.number, premise.kind, premise.area = number.strip(), kind, area
    try:
        with transaction.atomic():
            premise.save(update_fields=["number", "kind", "area"])
    except IntegrityError:
        raise errors.InvalidInput(field="number") from None
    audit_record(
        actor=actor,
        action="housing.premise_update",
        target=premise,
        before=before,
        after={"number": premise.number, "kind": kind, "area": str(area)},
    )
    return premise


@transaction.atomic
def ownership_change(
    *,
    ownership: Ownership,
    owner_name: str,
    share: Fraction,
    kind: str,
    joint_group: int | None,
    document_number: str,
    document_date: dt.date,
    actor: Resident,
) -> Ownership:
    """Correct a line of the register; the premise's shares still never exceed 1."""
    require_admin(actor, ownership.premise.building_id)
    if share <= 0 or share > 1:
        raise errors.InvalidShare(field="share")
    premise = Premise.objects.select_for_update().get(pk=ownership.premise_id)
    others = [
        (o.share, o.joint_group) for o in Ownership.objects.filter(premise=premise).exclude(pk=ownership.pk)
    ]
    group = joint_group if kind == OwnershipKind.JOINT else None
    buildings_rules.check_shares([*others, (share, group)], premise=premise.number)
    before = {
        "owner": ownership.owner_name,
        "share": str(ownership.share),
        "document": ownership.document_number,
    }
    ownership.owner_name = owner_name.strip()
    ownership.share_numerator, ownership.share_denominator = share.numerator, share.denominator
    ownership.kind, ownership.joint_group = kind, group
    ownership.document_number, ownership.document_date = document_number.strip(), document_date
    ownership.save()
    audit_record(
        actor=actor,
        action="housing.ownership_change",
        target=ownership,
        before=before,
        after={"owner": ownership.owner_name, "share": str(share), "document": ownership.document_number},
    )
    return ownership


@transaction.atomic
def ownership_end(
    *, ownership: Ownership, on: dt.date | None = None, reason: str, actor: Resident
) -> Ownership:
    """End a line (a sale, an inheritance): it leaves the register and stays in the premise's
    history; meetings whose register was frozen before keep it."""
    require_admin(actor, ownership.premise.building_id)
    if not reason.strip():
        raise errors.InvalidInput(field="reason")
    ended = Ownership.objects.filter(pk=ownership.pk).update(
        ended_on=on or city_today(), end_reason=reason.strip()[:255]
    )
    if not ended:
        raise errors.OwnershipAlreadyEnded()
    ownership.refresh_from_db()
    audit_record(
        actor=actor,
        action="housing.ownership_end",
        target=ownership,
        after={"ended_on": str(ownership.ended_on)},
        reason=reason,
    )
    return ownership


@transaction.atomic
def meter_replace(
    *,
    meter: Meter,
    final_values: Sequence[object],
    serial: str,
    verification_due: dt.date,
    initial_values: Sequence[object],
    actor: Resident,
    on: dt.date | None = None,
) -> Meter:
    """Replace a meter: the old one's final reading closes its month (never lower than its
    last), it is archived, and the new one starts from its initial reading."""
    require_admin(actor, meter.building_id)
    day = on or city_today()
    locked = Meter.objects.select_for_update().get(pk=meter.pk)
    if locked.archived_on is not None:
        raise errors.MeterArchived()
    final = meters_rules.parse_values(
        final_values, tariffs=locked.tariffs, resource=locked.resource, digits=locked.digits
    )
    initial = meters_rules.parse_values(
        initial_values, tariffs=locked.tariffs, resource=locked.resource, digits=locked.digits
    )
    period = meters_rules.first_of_month(day)
    _current, baseline = baseline_of(locked, period)
    meters_rules.check_not_lower(final, baseline.values)
    padded = final + [None] * (3 - len(final))
    Reading.objects.update_or_create(
        meter=locked,
        period=period,
        defaults={
            "value_1": padded[0],
            "value_2": padded[1],
            "value_3": padded[2],
            "consumption": meters_rules.consumption(final, baseline.values),
            "source": ReadingSource.ADMINISTRATOR,
            "submitted_by": actor,
        },
    )
    locked.archived_on = day
    locked.save(update_fields=["archived_on"])
    try:
        with transaction.atomic():
            replacement = meter_create(
                premise=locked.premise,
                resource=locked.resource,
                serial=serial.strip(),
                verification_due=verification_due,
                installed_on=day,
                tariffs=locked.tariffs,
                digits=locked.digits,
                initial_values=initial,
                actor=actor,
            )
    except IntegrityError:
        raise errors.MeterSerialTaken(field="serial") from None
    audit_record(
        actor=actor,
        action="housing.meter_replace",
        target=locked,
        after={"final": [str(v) for v in final], "replacement": replacement.pk},
    )
    return replacement


@transaction.atomic
def reading_window_set(
    *, building: Building | None, resource: str, start_day: int, end_day: int, actor: Resident
) -> ReadingWindow:
    """Set the days readings of a resource are taken: for one building (its administrator) or
    for the whole city (the operator)."""
    if building is None:
        require_operator(actor)
    else:
        require_admin(actor, building)
    if not (1 <= start_day <= 28 and 1 <= end_day <= 28):
        raise errors.WindowDaysInvalid(field="start_day")
    window, _created = ReadingWindow.objects.update_or_create(
        building=building, resource=resource, defaults={"start_day": start_day, "end_day": end_day}
    )
    audit_record(
        actor=actor,
        action="housing.reading_window_set",
        target=window,
        after={
            "building": building.pk if building else None,
            "resource": resource,
            "days": [start_day, end_day],
        },
    )
    return window
