"""/api/v1/home/admin/...: what a building administrator does on the site's admin pages, through
the API (issue 26): official and emergency notices, the board's moderation queue and decisions,
ending an emergency, residents' link requests, and the three imports (bills, the owners'
register, a month of readings) as multipart uploads of the CSV or XLSX the pages take. The same
services decide; one's own buildings only (an operator anywhere), refused with
``not_building_administrator`` otherwise, before the file is read."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from gorod.accounts.edge import resident_of
from gorod.core.api_fields import NON_BLANK, files_only
from gorod.housing import errors
from gorod.housing.billing import services as services_billing
from gorod.housing.billing import services_import as services_bill_import
from gorod.housing.billing.api import BillLineOut, BillOut
from gorod.housing.board import selectors as selectors_board
from gorod.housing.board import services as services_board
from gorod.housing.board.api import AnnouncementOut
from gorod.housing.board.api import _out as announcement_out
from gorod.housing.buildings import selectors as buildings_selectors
from gorod.housing.buildings import services as services_buildings
from gorod.housing.buildings.api import LinkOut, link_out
from gorod.housing.buildings.services import RowError
from gorod.housing.edge import table_of
from gorod.housing.meters import services_table
from gorod.housing.models import Announcement, Building, Premise, PremiseLink
from gorod.housing.permissions import require_admin

router = Router()


class OfficialAnnouncementIn(Schema):
    title: str = Field(max_length=120, pattern=NON_BLANK)
    body: str = Field(max_length=2000, pattern=NON_BLANK)
    emergency: bool = False


class AdminDecisionIn(Schema):
    approve: bool
    reason: str = Field("", max_length=255, description="Required to reject; the author sees it")


class PendingLinkOut(Schema):
    link: LinkOut
    resident: str
    document_number: str


def _announcement(request: HttpRequest, announcement_id: int) -> Announcement:
    found = Announcement.objects.select_related("author").filter(pk=announcement_id).first()
    if found is None:
        raise errors.AnnouncementNotFound()
    require_admin(resident_of(request), found.building_id)
    return found


def _entry(request: HttpRequest, announcement: Announcement) -> AnnouncementOut:
    announcement.refresh_from_db()
    return announcement_out(
        selectors_board.BoardEntry(
            announcement=announcement,
            text=selectors_board.shown_text(announcement, resident_of(request)),
            author=announcement.author.public_name,
            mine=announcement.author_id == resident_of(request).pk,
        )
    )


@router.post(
    "/buildings/{building_id}/announcements/official",
    response={201: AnnouncementOut},
    summary="Administrators: publish an official notice at once (an emergency one is pinned, residents told)",
)
def post_official(
    request: HttpRequest, building_id: int, body: OfficialAnnouncementIn
) -> Status[AnnouncementOut]:
    building = selectors_board.board_building(resident_of(request), building_id)
    announcement = services_board.announcement_official_post(
        building=building,
        actor=resident_of(request),
        title=body.title,
        body=body.body,
        emergency=body.emergency,
    )
    return Status(201, _entry(request, announcement))


@router.post(
    "/buildings/{building_id}/announcements/{announcement_id}/emergency-end",
    response=AnnouncementOut,
    summary="Administrators: the emergency is over; the notice stays, no longer pinned",
)
def post_emergency_end(request: HttpRequest, building_id: int, announcement_id: int) -> AnnouncementOut:
    announcement = _announcement(request, announcement_id)
    if announcement.building_id != building_id:
        raise errors.AnnouncementNotFound()
    services_board.announcement_emergency_end(announcement=announcement, actor=resident_of(request))
    return _entry(request, announcement)


@router.get(
    "/admin/announcements",
    response=list[AnnouncementOut],
    summary="Administrators: residents' announcements awaiting moderation in my buildings",
)
def get_board_queue(request: HttpRequest) -> list[AnnouncementOut]:
    me = resident_of(request)
    return [_entry(request, a) for a in selectors_board.moderation_queue(me)[:50]]


@router.post(
    "/admin/announcements/{announcement_id}/decision",
    response=AnnouncementOut,
    summary="Administrators: publish or reject a resident's announcement (a rejection needs a reason)",
)
def post_board_decision(request: HttpRequest, announcement_id: int, body: AdminDecisionIn) -> AnnouncementOut:
    announcement = _announcement(request, announcement_id)
    if body.approve:
        services_board.announcement_approve(announcement=announcement, actor=resident_of(request))
    else:
        services_board.announcement_reject(
            announcement=announcement, actor=resident_of(request), reason=body.reason
        )
    return _entry(request, announcement)


@router.get(
    "/admin/links",
    response=list[PendingLinkOut],
    summary="Administrators: residents' requests to be linked to premises of my buildings",
)
def get_pending_links(request: HttpRequest) -> list[PendingLinkOut]:
    return [
        PendingLinkOut(
            link=link_out(link), resident=link.resident.public_name, document_number=link.document_number
        )
        for link in buildings_selectors.pending_links(resident_of(request))[:50]
    ]


@router.post(
    "/admin/links/{link_id}/decision",
    response=LinkOut,
    summary="Administrators: confirm a link request against the register, or reject it",
)
def post_link_decision(request: HttpRequest, link_id: int, body: AdminDecisionIn) -> LinkOut:
    link = PremiseLink.objects.select_related("premise__building").filter(pk=link_id).first()
    if link is None:
        raise errors.LinkNotFound()
    if body.approve:
        services_buildings.link_confirm(link=link, actor=resident_of(request))
    else:
        services_buildings.link_reject(link=link, actor=resident_of(request), reason=body.reason)
    link.refresh_from_db()
    return link_out(link)


# ------------------------------------------------------------------------- imports (uploads)

# The document tells a client which files an import takes (a photo upload's types otherwise).
TABLE_TYPES = "text/csv, application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _table_upload(field: str) -> dict[str, Any]:
    return {
        "requestBody": {
            "content": {"multipart/form-data": {"encoding": {field: {"contentType": TABLE_TYPES}}}}
        }
    }


IMPORT_REFUSALS = (
    "A file larger than 5 MB answers 422 `import_file_too_large`, one that is neither UTF-8 CSV nor "
    "XLSX 422 `import_file_unreadable`; someone who does not administer the building 403 "
    "`not_building_administrator` (the file is not read)."
)
ALL_OR_NOTHING = (
    " Every row is checked first; if any is refused, nothing is written and the answer is 422 "
    "`import_rejected` with `details.errors`: one `{row, column, code, message}` per refusal (the row "
    "as numbered in the file, the header being 1), `details.count` their number. Row codes: "
)
REGISTER_ROW_CODES = (
    "import_columns_missing, import_file_unreadable, premise_missing, premise_kind_unknown, invalid_area, "
    "invalid_share, ownership_kind_unknown, joint_group_missing, document_number_missing, "
    "document_date_invalid, premise_conflicting, shares_exceed_whole."
)
BILL_ROW_CODES = (
    "import_columns_missing, premise_missing, period_invalid, payer_code_invalid, service_invalid, "
    "amount_invalid, payer_code_differs, service_twice, premise_not_found, bill_paid_differs."
)


class RowRefusalOut(Schema):
    row: int = Field(description="The line in the file; the header is line 1")
    column: str
    code: str
    message: str


class RegisterImportOut(Schema):
    rows: int = Field(description="Data rows read from the file")
    premises_created: int
    ownerships_created: int


class BillImportOut(Schema):
    rows: int = Field(description="Data rows (bill lines) read from the file")
    created: int = Field(description="Bills created")
    replaced: int = Field(description="Bills replaced (changed, nothing paid on them yet)")
    unchanged: int = Field(description="Bills already imported as they are in the file")


class ReadingsImportIn(Schema):
    period: str = Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="The month of the readings, YYYY-MM")


class ReadingRowOut(Schema):
    line: int = Field(description="The line in the file; the header is line 1")
    serial: str
    accepted: bool
    code: str = Field(description="Why the row was refused (empty when accepted)")
    message: str


class ReadingsImportOut(Schema):
    period: dt.date
    rows: list[ReadingRowOut]
    accepted: int
    refused: int
    flagged: int = Field(description="Accepted readings flagged for the administrator's check")
    points: int = Field(description="Points awarded for this upload (none for rows imported before)")


def _administered(request: HttpRequest, building_id: int) -> Building:
    building = Building.objects.filter(pk=building_id).first()
    if building is None:
        raise errors.BuildingNotFound()
    require_admin(resident_of(request), building)
    return building


def _rejected(refusals: list[RowError]) -> errors.ImportRejected:
    return errors.ImportRejected(
        count=len(refusals),
        errors=[
            RowRefusalOut(row=e.row, column=e.column, code=e.code, message=e.message).dict() for e in refusals
        ],
    )


@router.post(
    "/admin/buildings/{building_id}/register-import",
    response=RegisterImportOut,
    summary="Administrators: import premises and owners from the register (CSV or XLSX), as on the page",
    description="Columns: premise, area (required), kind, owner, share, ownership_kind, joint_group, "
    "document_number, document_date. " + IMPORT_REFUSALS + ALL_OR_NOTHING + REGISTER_ROW_CODES,
    openapi_extra=_table_upload("file"),
)
def post_register_import(
    request: HttpRequest, building_id: int, file: File[UploadedFile]
) -> RegisterImportOut:
    building = _administered(request, building_id)
    files_only(request, "file")
    table = table_of(file)
    report = services_buildings.register_import_table(
        building=building, table=table, actor=resident_of(request)
    )
    if not report.ok:
        raise _rejected(report.errors)
    return RegisterImportOut(
        rows=len(table.rows),
        premises_created=report.premises_created,
        ownerships_created=report.ownerships_created,
    )


@router.post(
    "/admin/buildings/{building_id}/bills-import",
    response=BillImportOut,
    summary="Administrators: import the month's bills, one row per bill line (CSV or XLSX), as on the page",
    description="Columns: premise, period (YYYY-MM), payer_code, service, amount (kopecks). A bill already "
    "imported as it is stays unchanged; a changed one is replaced while nothing is paid on it. "
    + IMPORT_REFUSALS
    + ALL_OR_NOTHING
    + BILL_ROW_CODES,
    openapi_extra=_table_upload("file"),
)
def post_bills_import(request: HttpRequest, building_id: int, file: File[UploadedFile]) -> BillImportOut:
    building = _administered(request, building_id)
    files_only(request, "file")
    table = table_of(file)
    report = services_bill_import.bills_import(building=building, table=table, actor=resident_of(request))
    if not report.ok:
        raise _rejected(report.errors)
    return BillImportOut(
        rows=len(table.rows), created=report.created, replaced=report.replaced, unchanged=report.unchanged
    )


@router.post(
    "/admin/buildings/{building_id}/readings-import",
    response=ReadingsImportOut,
    summary="Administrators: import a month of meter readings (CSV or XLSX); every row reported "
    "accepted or refused, as on the page",
    description="Columns: serial, resident (e-mail or phone), value_1 (required), resource, value_2, value_3. "
    "Each row is checked on its own: a refused row is reported with its stable code and skipped, the "
    "accepted ones are written together (their points awarded once: the same file again awards "
    "nothing). A file without the required columns answers 422 `readings_import_columns`, nothing "
    "written. " + IMPORT_REFUSALS,
    openapi_extra=_table_upload("file"),
)
def post_readings_import(
    request: HttpRequest, building_id: int, payload: Form[ReadingsImportIn], file: File[UploadedFile]
) -> ReadingsImportOut:
    building = _administered(request, building_id)
    files_only(request, "file")
    table = table_of(file)
    period = dt.date.fromisoformat(f"{payload.period}-01")
    report = services_table.readings_import_table(
        building=building, period=period, table=table, actor=resident_of(request), file_name=file.name or ""
    )
    return ReadingsImportOut(
        period=period,
        rows=[
            ReadingRowOut(line=r.line, serial=r.serial, accepted=r.accepted, code=r.code, message=r.message)
            for r in report.rows
        ],
        accepted=report.accepted,
        refused=report.refused,
        flagged=report.flagged,
        points=report.points,
    )


class BillLineIn(Schema):
    service: str = Field(max_length=120, pattern=NON_BLANK)
    amount: int = Field(ge=1, le=10**12, description="kopecks")


class BillIn(Schema):
    premise_id: int = Field(ge=1)
    period: str = Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="The bill's month, YYYY-MM")
    payer_code: str = Field(max_length=32, pattern=NON_BLANK)
    lines: list[BillLineIn] = Field(min_length=1, max_length=50)


@router.post(
    "/admin/buildings/{building_id}/bills",
    response={201: BillOut},
    summary="Administrators: type in one bill, as the bills page's second form does",
    description="Amounts in kopecks. A premise of another building answers 404 `premise_not_found`; a "
    "month that already has a bill for the premise 409 `bill_exists`; nothing is written on a refusal.",
)
def post_bill(request: HttpRequest, building_id: int, body: BillIn) -> Status[BillOut]:
    building = _administered(request, building_id)
    premise = Premise.objects.filter(pk=body.premise_id, building=building).first()
    if premise is None:
        raise errors.PremiseNotFound(field="premise_id")
    bill = services_billing.bill_create(
        premise=premise,
        period=dt.date.fromisoformat(f"{body.period}-01"),
        payer_code=body.payer_code.strip(),
        lines=[(line.service.strip(), line.amount) for line in body.lines],
        actor=resident_of(request),
    )
    return Status(
        201,
        BillOut(
            id=bill.pk,
            premise_id=bill.premise_id,
            period=bill.period,
            payer_code=bill.payer_code,
            amount_due=bill.amount_due,
            amount_paid=bill.amount_paid,
            lines=[BillLineOut(service=line.service, amount=line.amount) for line in bill.lines.all()],
        ),
    )
