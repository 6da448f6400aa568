"""Reads for owners' meetings."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from gorod.accounts.models import Resident
from gorod.housing import errors, permissions
from gorod.housing.models import Meeting, MeetingBallot, Ownership, RegisterHolder


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
