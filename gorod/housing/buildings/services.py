"""Writes for buildings, premises, the owners register, administrators and premise links."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gorod.accounts.models import District, Resident
from gorod.accounts.permissions import is_operator
from gorod.accounts.services import audit_record
from gorod.housing import errors, permissions, tabular
from gorod.housing.buildings import rules
from gorod.housing.models import (
    Building,
    BuildingAdministrator,
    Invitation,
    LinkRole,
    LinkStatus,
    Ownership,
    OwnershipKind,
    Premise,
    PremiseKind,
    PremiseLink,
)
from gorod.housing.permissions import require_admin
from gorod.points import services as points

PROGRAMME = "electronic_home"


@transaction.atomic
def building_create(
    *,
    address: str,
    district: District,
    year_built: int | None = None,
    management_organisation: str = "",
    actor: Resident | None = None,
) -> Building:
    """Add a building to the directory: the city operator, or a management organisation's
    administrator, who then administers it (assigned in the same transaction; the operator can
    remove the assignment). ``actor`` is None only for seeds and migrations."""
    if actor is not None and not permissions.is_building_staff(actor):
        raise errors.NotBuildingStaff()
    try:
        with transaction.atomic():
            building = Building.objects.create(
                address=address.strip(),
                district=district,
                year_built=year_built,
                management_organisation=management_organisation.strip(),
            )
    except IntegrityError:
        raise errors.BuildingAddressTaken(field="address") from None
    if actor is not None:
        audit_record(
            actor=actor,
            action="housing.building_create",
            target=building,
            after={"address": building.address},
        )
        if not is_operator(actor):
            BuildingAdministrator.objects.create(building=building, resident=actor)
            audit_record(
                actor=actor,
                action="housing.administrator_assign",
                target=building,
                after={"resident": actor.pk},
            )
    return building


@transaction.atomic
def administrator_assign(*, building: Building, resident: Resident, actor: Resident) -> BuildingAdministrator:
    """Only the city operator assigns a building's administrators, and only people who hold
    the building administrator role."""
    permissions.require_operator(actor)
    permissions.check_may_administer(resident)
    assignment, _created = BuildingAdministrator.objects.get_or_create(building=building, resident=resident)
    audit_record(
        actor=actor, action="housing.administrator_assign", target=building, after={"resident": resident.pk}
    )
    return assignment


@transaction.atomic
def premise_create(*, building: Building, number: str, kind: str, area: Decimal, actor: Resident) -> Premise:
    require_admin(actor, building)
    if area <= 0:
        raise errors.InvalidArea(field="area")
    try:
        with transaction.atomic():
            premise = Premise.objects.create(building=building, number=number.strip(), kind=kind, area=area)
    except IntegrityError:
        raise errors.PremiseNumberTaken(field="number") from None
    audit_record(
        actor=actor,
        action="housing.premise_create",
        target=premise,
        after={"building": building.pk, "number": number, "kind": kind, "area": str(area)},
    )
    return premise


def _lock_premise(premise_id: int) -> Premise:
    return Premise.objects.select_for_update().get(pk=premise_id)


@transaction.atomic
def ownership_add(
    *,
    premise: Premise,
    owner_name: str,
    share: Fraction,
    kind: str = OwnershipKind.SOLE,
    joint_group: int | None = None,
    document_number: str,
    document_date: dt.date,
    owner: Resident | None = None,
    actor: Resident,
) -> Ownership:
    """Add a line to the owners register; the premise's shares never exceed 1 (checked under
    the premise's row lock, so two concurrent additions cannot both pass)."""
    require_admin(actor, premise.building_id)
    if share <= 0 or share > 1:
        raise errors.InvalidShare(field="share")
    locked = _lock_premise(premise.pk)
    existing = [(o.share, o.joint_group) for o in Ownership.objects.filter(premise=locked)]
    rules.check_shares([*existing, (share, joint_group)], premise=locked.number)
    ownership = Ownership.objects.create(
        premise=locked,
        owner_name=owner_name,
        owner=owner,
        kind=kind,
        share_numerator=share.numerator,
        share_denominator=share.denominator,
        joint_group=joint_group if kind == OwnershipKind.JOINT else None,
        document_number=document_number,
        document_date=document_date,
    )
    audit_record(
        actor=actor,
        action="housing.ownership_add",
        target=ownership,
        after={"premise": locked.pk, "owner": owner_name, "share": str(share)},
    )
    return ownership


# ---------------------------------------------------------------- CSV / XLSX import of the register

IMPORT_COLUMNS = [
    "premise",
    "kind",
    "area",
    "owner",
    "share",
    "ownership_kind",
    "joint_group",
    "document_number",
    "document_date",
]


@dataclass
class RowError:
    """A refused row of an import: its line in the file (the header is 1), the column at fault,
    a stable code (the API's clients read it) and the message a person reads."""

    row: int
    column: str
    message: str
    code: str


@dataclass
class ImportReport:
    premises_created: int = 0
    ownerships_created: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _Row:
    number: str
    kind: str
    area: Decimal
    owner: str
    share: Fraction | None
    ownership_kind: str
    joint_group: int | None
    document_number: str
    document_date: dt.date | None


def _parse_row(line: int, raw: dict[str, str], report: ImportReport) -> _Row | None:
    def fail(column: str, message: str, code: str) -> None:
        report.errors.append(RowError(line, column, message, code))

    before = len(report.errors)
    number = (raw.get("premise") or "").strip()
    if not number:
        fail("premise", _("The premise number is missing."), "premise_missing")
    kind = (raw.get("kind") or "flat").strip() or "flat"
    if kind not in PremiseKind.values:
        fail("kind", _("Unknown premise kind: use flat, non_residential or parking."), "premise_kind_unknown")
    area = Decimal(0)
    try:
        area = rules.parse_area(raw.get("area") or "")
    except errors.InvalidArea as exc:
        fail("area", exc.text, exc.code)
    owner = (raw.get("owner") or "").strip()
    share: Fraction | None = None
    ownership_kind = (raw.get("ownership_kind") or "sole").strip() or "sole"
    joint_group: int | None = None
    document_number = (raw.get("document_number") or "").strip()
    document_date: dt.date | None = None
    if owner:
        try:
            share = rules.parse_share(raw.get("share") or "")
        except errors.InvalidShare as exc:
            fail("share", exc.text, exc.code)
        if ownership_kind not in OwnershipKind.values:
            fail(
                "ownership_kind",
                _("Unknown ownership kind: use sole, shared or joint."),
                "ownership_kind_unknown",
            )
        group_text = (raw.get("joint_group") or "").strip()
        if ownership_kind == OwnershipKind.JOINT:
            if not group_text.isdigit():
                fail("joint_group", _("Joint ownership needs a joint group number."), "joint_group_missing")
            else:
                joint_group = int(group_text)
        if not document_number:
            fail("document_number", _("The ownership document number is missing."), "document_number_missing")
        try:
            document_date = dt.date.fromisoformat((raw.get("document_date") or "").strip())
        except ValueError:
            fail(
                "document_date",
                _("The document date must be written as YYYY-MM-DD."),
                "document_date_invalid",
            )
    if len(report.errors) > before:
        return None
    return _Row(number, kind, area, owner, share, ownership_kind, joint_group, document_number, document_date)


def register_import(*, building: Building, csv_text: str, actor: Resident) -> ImportReport:
    """Import premises and owners from CSV (columns: IMPORT_COLUMNS)."""
    require_admin(actor, building)
    try:
        table = tabular.from_csv(csv_text)
    except tabular.UnreadableTable as exc:
        return ImportReport(errors=[RowError(1, "", exc.message, "import_file_unreadable")])
    return register_import_table(building=building, table=table, actor=actor)


def register_import_xlsx(*, building: Building, content: bytes, actor: Resident) -> ImportReport:
    """The same import from the first sheet of an XLSX workbook (header in row 1)."""
    require_admin(actor, building)
    try:
        table = tabular.from_xlsx(content)
    except tabular.UnreadableTable as exc:
        return ImportReport(errors=[RowError(1, "", exc.message, "import_file_unreadable")])
    return register_import_table(building=building, table=table, actor=actor)


@transaction.atomic
def register_import_table(*, building: Building, table: tabular.Table, actor: Resident) -> ImportReport:
    """Every row is checked first and reported by its line number (the header is line 1);
    if any row is wrong, nothing is written."""
    require_admin(actor, building)
    report = ImportReport()
    missing = [c for c in ("premise", "area") if c not in table.columns]
    if missing:
        report.errors.append(
            RowError(1, ",".join(missing), _("Required columns are missing."), "import_columns_missing")
        )
        return report
    rows: list[tuple[int, _Row]] = []
    for index, raw in table.rows:
        parsed = _parse_row(index, raw, report)
        if parsed is not None:
            rows.append((index, parsed))
    existing = {p.number: p for p in Premise.objects.select_for_update().filter(building=building)}
    shares: dict[str, list[tuple[Fraction, int | None]]] = {}
    for ownership in Ownership.objects.filter(premise__building=building).select_related("premise"):
        shares.setdefault(ownership.premise.number, []).append((ownership.share, ownership.joint_group))
    seen: dict[str, _Row] = {}
    for line, row in rows:
        known = existing.get(row.number) or seen.get(row.number)
        if known is not None and (known.area != row.area or known.kind != row.kind):
            report.errors.append(
                RowError(
                    line,
                    "area",
                    _("Premise %(number)s appears with another area or kind.") % {"number": row.number},
                    "premise_conflicting",
                )
            )
            continue
        seen.setdefault(row.number, row)
        if row.share is not None:
            shares.setdefault(row.number, []).append((row.share, row.joint_group))
            total = rules.share_total(shares[row.number])
            if total > 1:
                report.errors.append(
                    RowError(
                        line,
                        "share",
                        _("The shares of premise %(number)s add up to %(total)s, more than 1.")
                        % {"number": row.number, "total": total},
                        "shares_exceed_whole",
                    )
                )
    if report.errors:
        transaction.set_rollback(True)
        return report
    premises = dict(existing)
    for number, row in seen.items():
        if number not in premises:
            premises[number] = Premise.objects.create(
                building=building, number=number, kind=row.kind, area=row.area
            )
            report.premises_created += 1
    new_ownerships = [
        Ownership(
            premise=premises[row.number],
            owner_name=row.owner,
            kind=row.ownership_kind,
            share_numerator=row.share.numerator,
            share_denominator=row.share.denominator,
            joint_group=row.joint_group,
            document_number=row.document_number,
            document_date=row.document_date,
        )
        for _line, row in rows
        if row.share is not None and row.document_date is not None
    ]
    Ownership.objects.bulk_create(new_ownerships)
    report.ownerships_created = len(new_ownerships)
    audit_record(
        actor=actor,
        action="housing.register_import",
        target=building,
        after={"premises": report.premises_created, "ownerships": report.ownerships_created},
    )
    return report


# ---------------------------------------------------------------- residents' links to premises


@transaction.atomic
def link_request(
    *, resident: Resident, premise: Premise, role: str, document_number: str = ""
) -> PremiseLink:
    if role not in LinkRole.values:
        raise errors.InvalidInput(field="role")
    if "\x00" in document_number:
        raise errors.InvalidInput(field="document_number")
    try:
        with transaction.atomic():
            return PremiseLink.objects.create(
                resident=resident, premise=premise, role=role, document_number=document_number.strip()
            )
    except IntegrityError:
        raise errors.LinkAlreadyRequested(field="premise") from None


def _lock_pending_link(link_id: int) -> PremiseLink:
    link = PremiseLink.objects.select_for_update().select_related("premise").get(pk=link_id)
    if link.status != LinkStatus.PENDING:
        raise errors.LinkNotPending()
    return link


@transaction.atomic
def link_confirm(*, link: PremiseLink, actor: Resident, ownership: Ownership | None = None) -> PremiseLink:
    """Confirm a request against the register: an owner must match a register line of the
    premise (chosen by the administrator or found by the document number)."""
    require_admin(actor, link.premise.building_id)
    locked = _lock_pending_link(link.pk)
    if locked.role == LinkRole.OWNER:
        if ownership is None:
            ownership = Ownership.objects.filter(
                premise=locked.premise, document_number=locked.document_number, owner__isnull=True
            ).first()
        if ownership is None or ownership.premise_id != locked.premise_id:
            raise errors.OwnerNotInRegister(field="ownership")
        Ownership.objects.filter(pk=ownership.pk).update(owner=locked.resident)
        locked.ownership = ownership
    locked.status = LinkStatus.CONFIRMED
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "decided_by", "decided_at", "ownership"])
    audit_record(actor=actor, action="housing.link_confirm", target=locked, after={"status": locked.status})
    _reward_inviter(locked, actor)
    return locked


def _reward_inviter(link: PremiseLink, actor: Resident) -> None:
    """The neighbour who invited this resident earns once per invitee, whoever confirms."""
    invitation = Invitation.objects.filter(link=link).select_related("inviter").first()
    if invitation is None:
        return
    points.award(
        resident=invitation.inviter,
        programme=PROGRAMME,
        action="invite_neighbour",
        source_key=f"invite:{link.resident_id}",
        actor=actor,
    )


@transaction.atomic
def link_reject(*, link: PremiseLink, actor: Resident, reason: str) -> PremiseLink:
    require_admin(actor, link.premise.building_id)
    locked = _lock_pending_link(link.pk)
    locked.status = LinkStatus.REJECTED
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.reason = reason[:255]
    locked.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    audit_record(actor=actor, action="housing.link_reject", target=locked, reason=reason)
    return locked
