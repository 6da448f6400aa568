"""/api/v1/contests: photo contests (mounted by gorod/voting/api.py). Photos are public with
their district, never their author; vote counts appear once voting has ended."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from gorod.accounts.auth import public_or_signed_in
from gorod.accounts.edge import resident_of
from gorod.core.errors import PermissionDenied
from gorod.voting import permissions
from gorod.voting.contests import rules as contest_rules
from gorod.voting.contests import selectors as selectors_contests
from gorod.voting.contests import services as services_contests
from gorod.voting.contests.models import ContestPhoto, PhotoContest

router = Router(tags=["active citizen"])


class ContestOut(Schema):
    id: int
    title: str
    theme: str
    phase: str
    uploads_open_at: dt.datetime
    uploads_close_at: dt.datetime
    voting_open_at: dt.datetime
    voting_close_at: dt.datetime
    winner_points: int
    max_entries: int


class PhotoOut(Schema):
    id: int
    title: str
    district: str
    width: int
    height: int
    url: str
    votes: int | None
    is_winner: bool


class MyPhotoOut(Schema):
    id: int
    contest_id: int
    title: str
    status: str
    reject_reason: str
    is_winner: bool
    url: str


class VoteOut(Schema):
    photo_id: int
    voted: bool


class ModeratePhotoIn(Schema):
    publish: bool
    reason: str = Field("", max_length=1000)


class ModeratedOut(Schema):
    photo: MyPhotoOut
    points: int


class WinnersIn(Schema):
    photo_ids: list[int] = Field(max_length=100)


class WinnerOut(Schema):
    photo_id: int
    points: int


class PhotoUploadIn(Schema):
    title: str = Field("", max_length=500)


def _contest_out(contest: PhotoContest) -> ContestOut:
    return ContestOut(
        id=contest.pk,
        title=contest.title,
        theme=contest.theme,
        phase=contest_rules.phase_of(contest, timezone.now()),
        uploads_open_at=contest.uploads_open_at,
        uploads_close_at=contest.uploads_close_at,
        voting_open_at=contest.voting_open_at,
        voting_close_at=contest.voting_close_at,
        winner_points=contest.winner_points,
        max_entries=services_contests.MAX_ENTRIES,
    )


def _my_photo_out(photo: ContestPhoto) -> MyPhotoOut:
    return MyPhotoOut(
        id=photo.pk,
        contest_id=photo.contest_id,
        title=photo.title,
        status=photo.status,
        reject_reason=photo.reject_reason,
        is_winner=photo.is_winner,
        url=reverse("voting:contest_photo", args=[photo.pk]),
    )


@router.get(
    "/contests",
    response=list[ContestOut],
    auth=None,
    summary="Photo contests",
    operation_id="gorod_voting_api_contests_list_contests",
)
def list_contests(request: HttpRequest) -> list[ContestOut]:
    return [_contest_out(c) for c in selectors_contests.public_contests()[:100]]


@router.get(
    "/contests/{contest_id}",
    response=ContestOut,
    auth=public_or_signed_in,
    summary="A photo contest",
    operation_id="gorod_voting_api_contests_get_contest",
)
def get_contest(request: HttpRequest, contest_id: int) -> ContestOut:
    return _contest_out(selectors_contests.contest_get(request.user, contest_id))


@router.get(
    "/contests/{contest_id}/photos",
    response=list[PhotoOut],
    auth=public_or_signed_in,
    summary="Published photos (district only; votes once voting has ended)",
    operation_id="gorod_voting_api_contests_list_photos",
)
def list_photos(request: HttpRequest, contest_id: int) -> list[PhotoOut]:
    contest = selectors_contests.contest_get(request.user, contest_id)
    return [
        PhotoOut(**photo.__dict__, url=reverse("voting:contest_photo", args=[photo.id]))
        for photo in selectors_contests.published_photos(contest)
    ]


@router.get(
    "/contests/{contest_id}/photos/mine",
    response=list[MyPhotoOut],
    summary="My photos in a contest",
    operation_id="gorod_voting_api_contests_my_photos",
)
def my_photos(request: HttpRequest, contest_id: int) -> list[MyPhotoOut]:
    contest = selectors_contests.contest_get(request.user, contest_id)
    return [_my_photo_out(p) for p in selectors_contests.my_photos(request.user, contest.pk)]


@router.post(
    "/contests/{contest_id}/photos",
    response={201: MyPhotoOut},
    summary="Send a photo (multipart; inside the upload window; checked by content)",
    operation_id="gorod_voting_api_contests_post_photo",
)
def post_photo(
    request: HttpRequest, contest_id: int, payload: Form[PhotoUploadIn], photo: File[UploadedFile]
) -> Status[MyPhotoOut]:
    entry = services_contests.photo_submit(
        contest_id=contest_id,
        resident=resident_of(request),
        upload=photo,
        size=photo.size,
        title=payload.title,
    )
    return Status(201, _my_photo_out(entry))


@router.post(
    "/contests/photos/{photo_id}/vote",
    response={201: VoteOut},
    summary="Vote for a photo (once per photo, not your own, inside the voting window)",
    operation_id="gorod_voting_api_contests_vote",
)
def vote(request: HttpRequest, photo_id: int) -> Status[VoteOut]:
    services_contests.photo_vote(photo_id=photo_id, resident=resident_of(request))
    return Status(201, VoteOut(photo_id=photo_id, voted=True))


@router.post(
    "/contests/photos/{photo_id}/moderation",
    response=ModeratedOut,
    summary="Publish or reject a photo (moderators)",
    operation_id="gorod_voting_api_contests_moderate_photo",
)
def moderate_photo(request: HttpRequest, photo_id: int, body: ModeratePhotoIn) -> ModeratedOut:
    if not permissions.may_moderate(request.user):
        raise PermissionDenied()
    photo, points = services_contests.photo_moderate(
        photo_id=photo_id,
        moderator=resident_of(request),
        publish=body.publish,
        reason=body.reason,
    )
    return ModeratedOut(photo=_my_photo_out(photo), points=points)


@router.post(
    "/contests/{contest_id}/winners",
    response=list[WinnerOut],
    summary="Mark the winning photos after voting (operators); grants winner points up to the cap",
    operation_id="gorod_voting_api_contests_mark_winners",
)
def mark_winners(request: HttpRequest, contest_id: int, body: WinnersIn) -> list[WinnerOut]:
    if not permissions.may_manage_polls(request.user):
        raise PermissionDenied()
    granted = services_contests.contest_winners_mark(
        contest_id=contest_id,
        photo_ids=body.photo_ids,
        actor=resident_of(request),
    )
    return [WinnerOut(photo_id=pid, points=points) for pid, points in granted.items()]
