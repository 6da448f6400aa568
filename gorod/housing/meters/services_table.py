"""A month of readings uploaded by a building's administrator (CSV or XLSX) from the console.

Rows name a meter by its serial number (and resource when two resources share one) and the
resident who gave the reading by e-mail or phone; the rows then go through the bulk import
path (services_import), which checks them with the same rules as a resident's submission.

Transactions: every row is checked on its own and a refused row is skipped and reported with
its stable code, so one typo in a building's month does not hold back the other flats'
readings (and their points). The accepted rows, their points and the audit entry are then
written in one transaction: a failure half-way leaves nothing written, and uploading the same
file again is harmless (readings are upserted per meter and month, points awarded once).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q

from gorod.accounts.models import Resident
from gorod.accounts.services import audit_record
from gorod.core.errors import DomainError
from gorod.housing import errors, tabular
from gorod.housing.meters import rules
from gorod.housing.meters.services_import import ImportedReading, readings_import
from gorod.housing.models import Building, Meter
from gorod.housing.permissions import require_admin

REQUIRED_COLUMNS = ("serial", "resident", "value_1")
OPTIONAL_COLUMNS = ("resource", "value_2", "value_3")
ALL_COLUMNS = ("serial", "resource", "resident", "value_1", "value_2", "value_3")


@dataclass(frozen=True)
class RowOutcome:
    line: int
    serial: str
    accepted: bool
    code: str = ""
    message: str = ""


@dataclass
class TableReport:
    rows: list[RowOutcome] = field(default_factory=list)
    flagged: int = 0
    points: int = 0

    @property
    def accepted(self) -> int:
        return sum(1 for r in self.rows if r.accepted)

    @property
    def refused(self) -> int:
        return len(self.rows) - self.accepted


def _resolve_meters(building: Building, serials: set[str]) -> dict[tuple[str, str], int]:
    # Archived meters too: the rules then refuse them as archived, not as unknown.
    found = Meter.objects.filter(building=building, serial__in=serials)
    return {(serial, resource): pk for pk, serial, resource in found.values_list("pk", "serial", "resource")}


def _contact(text: str) -> str:
    """E-mail addresses compare case-insensitively; phones as written (+7...)."""
    return text.lower() if "@" in text else text


def _resolve_residents(contacts: set[str]) -> dict[str, int]:
    emails = {c for c in contacts if "@" in c}
    phones = {c for c in contacts if "@" not in c}
    found = Resident.objects.filter(Q(email__in=emails) | Q(phone__in=phones))
    by_contact: dict[str, int] = {}
    for pk, email, phone in found.values_list("pk", "email", "phone"):
        if email:
            by_contact[email.lower()] = pk
        if phone:
            by_contact[phone] = pk
    return by_contact


def _meter_of(meters: dict[tuple[str, str], int], serial: str, resource: str) -> int:
    if resource:
        pk = meters.get((serial, resource))
        if pk is None:
            raise errors.MeterNotFound(field="serial")
        return pk
    matches = [pk for (s, _r), pk in meters.items() if s == serial]
    if not matches:
        raise errors.MeterNotFound(field="serial")
    if len(matches) > 1:
        raise errors.MeterSerialAmbiguous(field="resource")
    return matches[0]


@transaction.atomic
def readings_import_table(
    *, building: Building, period: dt.date, table: tabular.Table, actor: Resident, file_name: str = ""
) -> TableReport:
    """Import the table's readings for ``period`` into ``building``; see the module's note."""
    require_admin(actor, building)
    missing = [c for c in REQUIRED_COLUMNS if c not in table.columns]
    if missing:
        raise errors.ReadingImportColumns(field="file", columns=", ".join(REQUIRED_COLUMNS))
    period = rules.first_of_month(period)
    names = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
    cells = [(line, {k: (raw.get(k) or "").strip() for k in names}) for line, raw in table.rows]
    # Meters only of this building: a serial of another building is "not found", never imported.
    meters = _resolve_meters(building, {c["serial"] for _line, c in cells})
    residents = _resolve_residents({_contact(c["resident"]) for _line, c in cells})
    outcomes: dict[int, RowOutcome] = {}
    to_import: list[ImportedReading] = []
    lines_of: list[tuple[int, str]] = []
    for line, c in cells:
        try:
            meter_id = _meter_of(meters, c["serial"], c["resource"])
            resident_id = residents.get(_contact(c["resident"]))
            if resident_id is None:
                raise errors.ResidentNotFound(field="resident")
        except DomainError as exc:
            outcomes[line] = RowOutcome(line, c["serial"], False, exc.code, exc.text)
            continue
        values = [c["value_1"], c["value_2"], c["value_3"]]
        while len(values) > 1 and not values[-1]:
            values.pop()
        to_import.append(ImportedReading(meter_id, resident_id, values))
        lines_of.append((line, c["serial"]))
    bulk = readings_import(period=period, rows=to_import, actor=actor)
    refused = {index: (code, text) for index, code, text in bulk.errors}
    for index, (line, serial) in enumerate(lines_of):
        if index in refused:
            code, text = refused[index]
            outcomes[line] = RowOutcome(line, serial, False, code, text)
        else:
            outcomes[line] = RowOutcome(line, serial, True)
    report = TableReport(
        rows=[outcomes[line] for line, _c in cells], flagged=bulk.flagged, points=bulk.points
    )
    audit_record(
        actor=actor,
        action="housing.readings_import",
        target=building,
        after={
            "period": period.isoformat(),
            "file": file_name[:200],
            "rows": len(report.rows),
            "accepted": report.accepted,
            "refused": [[r.line, r.code] for r in report.rows if not r.accepted][:500],
            "flagged": report.flagged,
            "points": report.points,
        },
    )
    return report
