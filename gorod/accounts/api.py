from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from gorod.accounts import permissions, services, services_levels
from gorod.accounts.edge import resident_of
from gorod.accounts.errors import UnknownDistrict
from gorod.accounts.models import District, LevelRequest, LevelRequestStatus, Resident
from gorod.core.api_fields import NON_BLANK
from gorod.core.errors import PermissionDenied

API_PREFIX = "/"
router = Router(tags=["me"])


class MeOut(Schema):
    id: int
    username: str
    first_name: str
    last_name: str
    level: str
    home_district: str | None
    roles: list[str]
    consents_to_notifications: bool


class ProfileIn(Schema):
    first_name: str = Field(..., max_length=150, pattern=NON_BLANK)
    last_name: str = Field("", max_length=150)
    home_district: str | None = Field(None, max_length=40, description="A district's code, or null")
    consents_to_notifications: bool = False


@router.get("/me", response=MeOut, summary="The signed-in resident")
def me(request: HttpRequest) -> MeOut:
    return _me_out(resident_of(request))


@router.put(
    "/me", response=MeOut, summary="Edit my profile (name, home district, notifications), as on the site"
)
def put_me(request: HttpRequest, body: ProfileIn) -> MeOut:
    district = None
    if body.home_district is not None:
        district = District.objects.filter(code=body.home_district).first()
        if district is None:
            raise UnknownDistrict(field="home_district")
    resident = services.resident_profile_update(
        resident=resident_of(request),
        first_name=body.first_name.strip(),
        last_name=body.last_name.strip(),
        home_district=district,
        consents_to_notifications=body.consents_to_notifications,
    )
    return _me_out(resident)


def _me_out(resident: Resident) -> MeOut:
    return MeOut(
        id=resident.pk,
        username=resident.username,
        first_name=resident.first_name,
        last_name=resident.last_name,
        level=resident.level,
        home_district=resident.home_district.code if resident.home_district else None,
        roles=sorted(resident.groups.values_list("name", flat=True)),
        consents_to_notifications=resident.consents_to_notifications,
    )


# ------------------------------------------------------------ account levels (the checked request)


class LevelRequestIn(Schema):
    to_level: Literal["standard", "full"]
    # The service's rule (10 digits, spaces and dashes ignored) as the document can state it.
    document_number: str = Field(
        pattern=r"^[0-9]{2}[ -]?[0-9]{2}[ -]?[0-9]{6}$",
        description="Passport series (4 digits) and number (6), e.g. 45 12 345678 or 4512345678",
    )


class LevelDecisionIn(Schema):
    approve: bool
    checked: bool = Field(
        False, description="The operator compared the original document (required to approve)"
    )
    reason: str = Field("", max_length=255, description="Required to reject; the resident sees it")


class LevelRequestOut(Schema):
    id: int
    resident_id: int
    resident: str
    level: str = Field(description="The resident's level now")
    to_level: str
    document_kind: str
    document_number: str = Field(description="In full while pending; its last four digits once checked")
    status: str
    created_at: dt.datetime
    checked_by: str | None = Field(description="The operator who checked the document")
    checked_at: dt.datetime | None
    reason: str


class LevelQueueQuery(Schema):
    status: Literal["pending", "approved", "rejected"] = "pending"


def _level_request_out(req: LevelRequest) -> LevelRequestOut:
    checker = req.checked_by
    return LevelRequestOut(
        id=req.pk,
        resident_id=req.resident_id,
        resident=req.resident.get_full_name() or req.resident.username,
        level=req.resident.level,
        to_level=req.to_level,
        document_kind=req.document_kind,
        document_number=req.document_number,
        status=req.status,
        created_at=req.created_at,
        checked_by=(checker.get_full_name() or checker.username) if checker else None,
        checked_at=req.checked_at,
        reason=req.reason,
    )


def _level_requests() -> Any:
    return LevelRequest.objects.select_related("resident", "checked_by")


@router.get("/me/level-requests", response=list[LevelRequestOut], summary="My account level requests")
def get_my_level_requests(request: HttpRequest) -> list[LevelRequestOut]:
    mine = _level_requests().filter(resident=resident_of(request)).order_by("-created_at", "-pk")
    return [_level_request_out(r) for r in mine[:10]]


@router.post(
    "/me/level-requests",
    response={201: LevelRequestOut},
    summary="Ask for a higher account level naming my passport; an operator checks the original "
    "(one open request at a time)",
)
def post_level_request(request: HttpRequest, body: LevelRequestIn) -> Status[LevelRequestOut]:
    filed = services_levels.level_request_file(
        resident=resident_of(request), to_level=body.to_level, document_number=body.document_number
    )
    return Status(201, _level_request_out(_level_requests().get(pk=filed.pk)))


@router.get(
    "/level-requests",
    response=list[LevelRequestOut],
    summary="Operators: residents' level requests (the queue to check, or the decided ones)",
)
def get_level_requests(request: HttpRequest, query: Query[LevelQueueQuery]) -> list[LevelRequestOut]:
    if not permissions.may_change_level(resident_of(request)):
        raise PermissionDenied()
    found = _level_requests().filter(status=query.status)
    found = (
        found.order_by("created_at", "pk")
        if query.status == LevelRequestStatus.PENDING
        else found.order_by("-checked_at", "-pk")
    )
    return [_level_request_out(r) for r in found[:100]]


@router.post(
    "/level-requests/{request_id}/decision",
    response=LevelRequestOut,
    summary="Operators: approve a level request after comparing the original document, or reject it "
    "with a reason (nobody decides their own)",
)
def post_level_decision(request: HttpRequest, request_id: int, body: LevelDecisionIn) -> LevelRequestOut:
    me = resident_of(request)
    if not permissions.may_change_level(me):
        raise PermissionDenied()
    services_levels.level_request_decide(
        request_id=request_id,
        actor=me,
        approve=body.approve,
        reason=body.reason,
        document_checked=body.checked,
    )
    return _level_request_out(_level_requests().get(pk=request_id))
