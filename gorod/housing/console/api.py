"""/api/v1/home/admin/...: what a building administrator does on the site's admin pages, through
the API (issue 26): official and emergency notices, the board's moderation queue and decisions,
ending an emergency, and residents' link requests. The same services decide; one's own buildings
only (an operator anywhere), refused with ``not_building_administrator`` otherwise."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from gorod.accounts.edge import resident_of
from gorod.core.api_fields import NON_BLANK
from gorod.housing import errors
from gorod.housing.board import selectors as selectors_board
from gorod.housing.board import services as services_board
from gorod.housing.board.api import AnnouncementOut
from gorod.housing.board.api import _out as announcement_out
from gorod.housing.buildings import selectors as buildings_selectors
from gorod.housing.buildings import services as services_buildings
from gorod.housing.buildings.api import LinkOut, link_out
from gorod.housing.models import Announcement, PremiseLink
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
