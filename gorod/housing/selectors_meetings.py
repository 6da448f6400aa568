"""Reads for owners' meetings."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from gorod.accounts.models import Resident
from gorod.housing import errors, permissions
from gorod.housing.models import Meeting, MeetingBallot, Ownership, RegisterEntry, RegisterHolder


def my_meetings(resident: Resident) -> QuerySet[Meeting]:
    buildings = Ownership.objects.filter(owner=resident).values("premise__building_id")
    return (
        Meeting.objects.filter(building_id__in=buildings)
        .select_related("building")
        .annotate(
            voted=Exists(
                MeetingBallot.objects.filter(entry__meeting=OuterRef("pk"), entry__holders__resident=resident)
            )
        )
        .order_by("-starts_at")
    )


def my_open_meetings(resident: Resident, statuses: tuple[str, ...], limit: int) -> list[Meeting]:
    """Title and status of the newest meetings in the resident's buildings that are in one of
    ``statuses``: the home page's list, without the building and the "voted" mark."""
    buildings = Ownership.objects.filter(owner=resident).values("premise__building_id")
    return list(
        Meeting.objects.filter(building_id__in=buildings, status__in=statuses)
        .order_by("-starts_at")
        .only("pk", "title", "status")[:limit]
    )


def meeting_for(resident: Resident, meeting_id: int) -> Meeting:
    meeting = (
        Meeting.objects.select_related("building").prefetch_related("questions").filter(pk=meeting_id).first()
    )
    if meeting is None:
        raise errors.MeetingNotFound()
    owner = Ownership.objects.filter(owner=resident, premise__building_id=meeting.building_id).exists()
    holder = RegisterHolder.objects.filter(entry__meeting=meeting, resident=resident).exists()
    if not (owner or holder or permissions.administers(resident, meeting.building_id)):
        raise errors.NotAnOwner()
    return meeting


def has_voted(resident: Resident, meeting: Meeting) -> bool:
    return MeetingBallot.objects.filter(entry__meeting=meeting, entry__holders__resident=resident).exists()


def meeting_for_administrator(administrator: Resident, meeting_id: int) -> Meeting:
    meeting = Meeting.objects.select_related("building").filter(pk=meeting_id).first()
    if meeting is None:
        raise errors.MeetingNotFound()
    if not permissions.administers(administrator, meeting.building_id):
        raise errors.NotYourBuilding()
    return meeting


def register_rows(meeting: Meeting) -> QuerySet[RegisterEntry]:
    """The frozen register with who may vote for each line and whether it has voted."""
    return (
        RegisterEntry.objects.filter(meeting=meeting)
        .select_related("premise")
        .prefetch_related(Prefetch("holders", queryset=RegisterHolder.objects.select_related("resident")))
        .annotate(
            voted=Exists(MeetingBallot.objects.filter(entry=OuterRef("pk"))),
            paper=Exists(MeetingBallot.objects.filter(entry=OuterRef("pk"), paper=True)),
        )
        .order_by("premise__number", "pk")
    )


def administered_meetings(administrator: Resident) -> QuerySet[Meeting]:
    buildings = administrator.administered_buildings.values("building_id")
    return Meeting.objects.filter(building_id__in=buildings).select_related("building").order_by("-starts_at")


def resident_by_login(login: str) -> Resident | None:
    """A resident named by login, e-mail or phone number, as at sign-in."""
    login = login.strip()
    if not login:
        return None
    phone = login.replace(" ", "").replace("-", "")
    return Resident.objects.filter(
        Q(username__iexact=login) | Q(email__iexact=login) | Q(phone=phone)
    ).first()
