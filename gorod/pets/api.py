from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from django.http import HttpRequest
from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from gorod.accounts.auth import public_or_signed_in
from gorod.accounts.edge import resident_of
from gorod.accounts.models import Resident
from gorod.core.api_fields import NON_BLANK, QueryDate, degrees, files_only
from gorod.core.errors import NotFound
from gorod.pets import permissions, rules, selectors, services
from gorod.pets.models import Animal, PetNotice

API_PREFIX = "/pets"
router = Router(tags=["pets"])


class NoticeOut(Schema):
    id: int
    kind: str
    animal: str
    description: str
    latitude: Decimal
    longitude: Decimal
    district: str
    seen_at: dt.datetime
    status: str
    photo_urls: list[str]


# The animals a notice may name, as the document's pattern (the service refuses any other).
ANIMALS = "|".join(Animal.values)


class NoticeIn(Schema):
    kind: str = Field(..., pattern="^(lost|found)$")
    animal: str = Field(..., pattern=f"^({ANIMALS})$")
    description: str = Field(..., max_length=2000, pattern=NON_BLANK)
    # Any number in range: the service rounds it to the micro-degree (~0.1 m) it stores, as the
    # problems API does; a limit on digits would refuse the coordinates a phone's GPS reports.
    latitude: Decimal = Field(..., ge=-90, le=90, json_schema_extra=degrees(-90, 90))
    longitude: Decimal = Field(..., ge=-180, le=180, json_schema_extra=degrees(-180, 180))
    seen_at: dt.datetime


# Up to MAX_PHOTOS photos per notice, as the document says (the service counts those already there).
# At least one: a multipart body cannot carry an empty list, so "none" would arrive as "missing".
Photos = Annotated[list[UploadedFile], File(min_length=1, max_length=rules.MAX_PHOTOS)]


class SearchQuery(Schema):
    kind: str = Field("", pattern="^(|lost|found)$")
    animal: str = Field("", pattern=f"^(|{ANIMALS})$")
    district_id: int | None = Field(None, ge=1, le=2**31)
    since: QueryDate | None = None
    until: QueryDate | None = None
    page: int = Field(1, ge=1, le=10_000)


class NoticePage(Schema):
    items: list[NoticeOut]
    page: int
    pages: int


class SuggestionOut(Schema):
    notice: NoticeOut
    distance_m: int


class MessageIn(Schema):
    body: str = Field(..., max_length=2000, pattern=NON_BLANK)
    recipient_id: int | None = Field(None, ge=1, le=2**62)


class MessageOut(Schema):
    id: int
    body: str
    created_at: dt.datetime


class ModerationIn(Schema):
    approve: bool
    reason: str = Field("", max_length=255)


def _out(n: PetNotice) -> NoticeOut:
    return NoticeOut(
        id=n.pk,
        kind=n.kind,
        animal=n.animal,
        description=n.description,
        latitude=n.latitude,
        longitude=n.longitude,
        district=n.district.name,
        seen_at=n.seen_at,
        status=n.status,
        photo_urls=[f"/pets/photos/{p.pk}/" for p in n.photos.all()],
    )


@router.get("/notices", response=NoticePage, auth=None, summary="Search published notices")
def list_notices(request: HttpRequest, query: Query[SearchQuery]) -> NoticePage:
    filters = query.dict()
    page = selectors.search_page(page=filters.pop("page"), **filters)
    return NoticePage(items=[_out(n) for n in page], page=page.number, pages=page.paginator.num_pages)


# A pending notice is its author's and the moderators' to read: the token is recognised here.
@router.get("/notices/{notice_id}", response=NoticeOut, auth=public_or_signed_in, summary="One notice")
def get_notice(request: HttpRequest, notice_id: int) -> NoticeOut:
    return _out(selectors.notice_get(notice_id, request.user))


@router.post("/notices", response={201: NoticeOut}, summary="Post a notice (goes to moderation)")
def post_notice(request: HttpRequest, body: NoticeIn) -> Status[NoticeOut]:
    notice = services.notice_create(author=resident_of(request), **body.dict())
    return Status(201, _out(selectors.notice_get(notice.pk, request.user)))


@router.post(
    "/notices/{notice_id}/photos",
    response={201: NoticeOut},
    summary="Add photos to my notice while it awaits moderation (JPEG, PNG or WebP; up to 3 in all)",
)
def post_photos(request: HttpRequest, notice_id: int, photos: Photos) -> Status[NoticeOut]:
    files_only(request, "photos")
    notice = selectors.notice_get(notice_id, request.user)
    services.photos_add(notice_id=notice.pk, actor=request.user, photos=list(photos))  # type: ignore[arg-type]
    return Status(201, _out(selectors.notice_get(notice_id, request.user)))


@router.post("/notices/{notice_id}/close", response=NoticeOut, summary="Close my notice: the pet is home")
def close_notice(request: HttpRequest, notice_id: int) -> NoticeOut:
    services.notice_close(
        notice_id=selectors.notice_get(notice_id, resident_of(request)).pk, actor=resident_of(request)
    )
    return _out(selectors.notice_get(notice_id, request.user))


@router.get("/notices/{notice_id}/suggestions", response=list[SuggestionOut], summary="Matches for my notice")
def get_suggestions(request: HttpRequest, notice_id: int) -> list[SuggestionOut]:
    notice = selectors.notice_get(notice_id, request.user)
    if not permissions.is_author(request.user, notice):
        raise NotFound()
    return [
        SuggestionOut(notice=_out(s.notice), distance_m=s.distance_m) for s in selectors.suggestions(notice)
    ]


@router.post("/notices/{notice_id}/messages", response={201: MessageOut}, summary="Write about a notice")
def post_message(request: HttpRequest, notice_id: int, body: MessageIn) -> Status[MessageOut]:
    resident: Resident = resident_of(request)
    notice = selectors.notice_get(notice_id, resident)
    message = services.message_send(
        notice_id=notice.pk, sender=resident, body=body.body, recipient_id=body.recipient_id
    )
    return Status(201, MessageOut(id=message.pk, body=message.body, created_at=message.created_at))


@router.post("/notices/{notice_id}/moderation", response=NoticeOut, summary="Moderators: publish or reject")
def moderate(request: HttpRequest, notice_id: int, body: ModerationIn) -> NoticeOut:
    services.notice_moderate(
        notice_id=selectors.notice_get(notice_id, request.user).pk,
        moderator=resident_of(request),
        approve=body.approve,
        reason=body.reason,
    )
    return _out(selectors.notice_get(notice_id, request.user))
