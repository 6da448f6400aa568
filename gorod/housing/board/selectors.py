"""Reads of the building board. Only the building's residents and its administrators see it;
contacts in residents' announcements are masked for everyone but the author."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from gorod.accounts.models import Resident
from gorod.core.privacy_text import mask_contacts
from gorod.housing import errors, permissions
from gorod.housing.models import Announcement, AnnouncementStatus, Building, LinkStatus


@dataclass(frozen=True)
class BoardEntry:
    announcement: Announcement
    text: str
    author: str
    mine: bool

    @property
    def pk(self) -> int:
        return self.announcement.pk


def shown_text(announcement: Announcement, viewer: Resident) -> str:
    """The text as a viewer sees it: the author and official notices verbatim, otherwise with
    phone numbers and e-mail addresses masked (neighbours contact each other through the site)."""
    if announcement.official or announcement.author_id == viewer.pk:
        return announcement.shown_body
    return mask_contacts(announcement.shown_body)


def _entry(announcement: Announcement, viewer: Resident) -> BoardEntry:
    return BoardEntry(
        announcement=announcement,
        text=shown_text(announcement, viewer),
        author=announcement.author.public_name,
        mine=announcement.author_id == viewer.pk,
    )


def board_building(viewer: Resident, building_id: int) -> Building:
    """The building whose board the viewer may read, or a refusal (residents of other
    buildings are refused)."""
    building = Building.objects.filter(pk=building_id).first()
    if building is None:
        raise errors.BuildingNotFound()
    if not (permissions.lives_in(viewer, building) or permissions.administers(viewer, building)):
        raise errors.NotBuildingResident()
    return building


def board(viewer: Resident, building: Building, *, limit: int = 30, offset: int = 0) -> list[BoardEntry]:
    """Published announcements, emergencies pinned on top, newest first."""
    published = (
        Announcement.objects.filter(building=building, status=AnnouncementStatus.APPROVED)
        .select_related("author")
        .order_by("-emergency", "-published_at", "-pk")[offset : offset + limit]
    )
    return [_entry(a, viewer) for a in published]


def my_unpublished(viewer: Resident, building: Building) -> list[BoardEntry]:
    """The viewer's own announcements still waiting or rejected (with the reason)."""
    mine = (
        Announcement.objects.filter(building=building, author=viewer)
        .exclude(status=AnnouncementStatus.APPROVED)
        .select_related("author")
        .order_by("-created_at")[:20]
    )
    return [_entry(a, viewer) for a in mine]


def moderation_queue(administrator: Resident) -> QuerySet[Announcement]:
    buildings = administrator.administered_buildings.values("building_id")
    return (
        Announcement.objects.filter(status=AnnouncementStatus.PENDING, building_id__in=buildings)
        .select_related("building", "author")
        .order_by("created_at")
    )


def my_buildings(resident: Resident) -> QuerySet[Building]:
    return (
        Building.objects.filter(
            premises__links__resident=resident, premises__links__status=LinkStatus.CONFIRMED
        )
        .distinct()
        .order_by("address")
    )


def administered_buildings(administrator: Resident) -> QuerySet[Building]:
    return Building.objects.filter(administrators__resident=administrator).order_by("address")
