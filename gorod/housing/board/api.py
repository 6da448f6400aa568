"""/api/v1/home/...: the building board (read, post) and neighbour invitations."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from gorod.accounts.edge import resident_of
from gorod.core.api_fields import NON_BLANK
from gorod.housing.board import selectors as selectors_board
from gorod.housing.board import services as services_board

router = Router(tags=["home"])


class AnnouncementIn(Schema):
    title: str = Field(max_length=120, pattern=NON_BLANK)
    body: str = Field(max_length=2000, pattern=NON_BLANK)


class AnnouncementOut(Schema):
    id: int
    building_id: int
    title: str
    text: str = Field(description="Contacts masked unless you wrote it or it is from the administrator")
    author: str
    official: bool
    emergency: bool
    status: str
    reason: str
    published_at: dt.datetime | None
    mine: bool


class BoardQuery(Schema):
    limit: int = Field(30, ge=1, le=50)
    offset: int = Field(0, ge=0, le=10_000)


def _out(entry: selectors_board.BoardEntry) -> AnnouncementOut:
    a = entry.announcement
    return AnnouncementOut(
        id=a.pk,
        building_id=a.building_id,
        title=a.shown_title,
        text=entry.text,
        author=entry.author,
        official=a.official,
        emergency=a.emergency,
        status=a.status,
        reason=a.reason,
        published_at=a.published_at,
        mine=entry.mine,
    )


@router.get(
    "/buildings/{building_id}/announcements",
    operation_id="gorod_housing_api_neighbours_get_announcements",
    response=list[AnnouncementOut],
    summary="The building board: emergencies first, then the newest (residents of the building only)",
)
def get_announcements(
    request: HttpRequest, building_id: int, page: Query[BoardQuery]
) -> list[AnnouncementOut]:
    building = selectors_board.board_building(resident_of(request), building_id)
    entries = selectors_board.board(resident_of(request), building, limit=page.limit, offset=page.offset)
    return [_out(e) for e in entries]


@router.get(
    "/buildings/{building_id}/announcements/mine",
    operation_id="gorod_housing_api_neighbours_get_my_announcements",
    response=list[AnnouncementOut],
    summary="My announcements on this board still waiting for moderation or rejected",
)
def get_my_announcements(request: HttpRequest, building_id: int) -> list[AnnouncementOut]:
    building = selectors_board.board_building(resident_of(request), building_id)
    return [_out(e) for e in selectors_board.my_unpublished(resident_of(request), building)]


@router.post(
    "/buildings/{building_id}/announcements",
    operation_id="gorod_housing_api_neighbours_post_announcement",
    response={201: AnnouncementOut},
    summary="Post an announcement to my building's board (published after moderation)",
)
def post_announcement(
    request: HttpRequest, building_id: int, body: AnnouncementIn
) -> Status[AnnouncementOut]:
    building = selectors_board.board_building(resident_of(request), building_id)
    announcement = services_board.announcement_post(
        building=building, author=resident_of(request), title=body.title, body=body.body
    )
    return Status(
        201,
        _out(
            selectors_board.BoardEntry(
                announcement=announcement,
                text=announcement.body,
                author=resident_of(request).public_name,
                mine=True,
            )
        ),
    )
