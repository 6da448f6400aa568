"""Reads for owners' meetings."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from gorod.accounts import roles
from gorod.accounts.models import Resident
from gorod.accounts.permissions import is_operator
from gorod.housing import errors, permissions
from gorod.housing.meetings import rules as rules_meetings
from gorod.housing.meetings.rules import legal_basis
from gorod.housing.models import (
    Building,
    BuildingAdministrator,
    Meeting,
    MeetingBallot,
    MeetingStatus,
    Ownership,
    RegisterEntry,
    RegisterHolder,
)


@dataclass(frozen=True)
class BallotLine:
    """One premise a ballot covers, shown before the voter confirms: whose it is, its area, the
    share and the resulting weight (area x share), and whether it is held as a proxy."""

    entry_id: int
    premise: str
    owner_name: str
    area: Decimal
    share: Fraction
    weight: Fraction
    as_proxy: bool
    voted: bool


@dataclass(frozen=True)
class Decision:
    meeting_id: int
    meeting_title: str
    decided_on: object
    position: int
    subject: str
    threshold: str
    legal_basis: str


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


def ballot_lines(meeting: Meeting, resident: Resident) -> list[BallotLine]:
    """What the resident's ballot would cover in this meeting (the register must be frozen)."""
    voted = MeetingBallot.objects.filter(entry_id=OuterRef("entry_id"))
    holders = (
        RegisterHolder.objects.filter(entry__meeting=meeting, resident=resident)
        .select_related("entry__premise", "entry__ownership")
        .annotate(voted=Exists(voted))
        .order_by("entry__premise__number", "entry_id")
    )
    return [
        BallotLine(
            entry_id=h.entry_id,
            premise=h.entry.premise.number,
            owner_name=h.entry.owner_name,
            area=h.entry.premise.area,
            share=h.entry.ownership.share,
            weight=h.entry.weight,
            as_proxy=h.is_proxy,
            voted=h.voted,
        )
        for h in holders
    ]


@dataclass(frozen=True)
class RecordedBallot:
    """What was recorded for one premise the resident votes for: their own or, by proxy, a
    principal's answers, each question with the choice as it reads ("for", "against"...)."""

    premise: str
    owner_name: str
    as_proxy: bool
    paper: bool
    answers: list[tuple[str, str]]


def recorded_ballots(meeting: Meeting, resident: Resident) -> list[RecordedBallot]:
    """The answers recorded for the premises this resident votes for, to show them back to them
    (a general meeting's ballots are named, not secret, but only their own are shown here)."""
    proxies = dict(
        RegisterHolder.objects.filter(entry__meeting=meeting, resident=resident).values_list(
            "entry_id", "is_proxy"
        )
    )
    found = (
        MeetingBallot.objects.filter(entry_id__in=list(proxies))
        .select_related("entry__premise", "question")
        .order_by("entry__premise__number", "entry_id", "question__position")
    )
    grouped: dict[int, RecordedBallot] = {}
    for ballot in found:
        line = grouped.get(ballot.entry_id)
        if line is None:
            line = grouped[ballot.entry_id] = RecordedBallot(
                premise=ballot.entry.premise.number,
                owner_name=ballot.entry.owner_name,
                as_proxy=proxies[ballot.entry_id],
                paper=ballot.paper,
                answers=[],
            )
        line.answers.append(
            (f"{ballot.question.position}. {ballot.question.subject}", ballot.get_choice_display())
        )
    return list(grouped.values())


def callable_buildings(resident: Resident) -> QuerySet[Building]:
    """Buildings where the resident may call a meeting: as an owner or as their administrator."""
    if is_operator(resident):
        return Building.objects.order_by("address")
    owned = Ownership.objects.filter(owner=resident).values("premise__building_id")
    administered = BuildingAdministrator.objects.filter(
        resident=resident, resident__groups__name=roles.BUILDING_ADMINISTRATOR
    ).values("building_id")
    return Building.objects.filter(Q(pk__in=owned) | Q(pk__in=administered)).order_by("address")


def may_read_building_meetings(resident: Resident, building: Building) -> bool:
    return (
        Ownership.objects.filter(owner=resident, premise__building=building).exists()
        or permissions.lives_in(resident, building)
        or permissions.administers(resident, building)
    )


def decision_register(building: Building, *, limit: int = 200) -> list[Decision]:
    """The building's register of decisions: every question adopted by a finished meeting,
    newest meeting first."""
    decisions: list[Decision] = []
    meetings = (
        Meeting.objects.filter(building=building, status=MeetingStatus.FINISHED)
        .prefetch_related("questions")
        .order_by("-finished_at", "-pk")
    )
    for meeting in meetings[:100]:
        adopted = {
            row["question_id"] for row in (meeting.result or {}).get("questions", []) if row["adopted"]
        }
        for question in meeting.questions.all():
            if question.pk in adopted:
                decisions.append(
                    Decision(
                        meeting_id=meeting.pk,
                        meeting_title=meeting.title,
                        decided_on=meeting.finished_at,
                        position=question.position,
                        subject=question.subject,
                        threshold=question.get_threshold_display(),
                        legal_basis=legal_basis(question.threshold),
                    )
                )
    return decisions[:limit]


def owner_ids(building: Building | int) -> list[int]:
    building_id = building if isinstance(building, int) else building.pk
    return list(
        Ownership.objects.filter(premise__building_id=building_id, owner__isnull=False)
        .values_list("owner_id", flat=True)
        .distinct()
    )


def held_entries(meeting: Meeting, resident: Resident) -> dict[int, bool]:
    """The register entries the resident votes for, each with whether it has voted."""
    voted = MeetingBallot.objects.filter(entry_id=OuterRef("entry_id"))
    return dict(
        RegisterHolder.objects.filter(entry__meeting=meeting, resident=resident)
        .annotate(voted=Exists(voted))
        .order_by("entry_id")
        .values_list("entry_id", "voted")
    )


def meeting_tally(meeting: Meeting) -> rules_meetings.MeetingResult:
    weights = {
        pk: Fraction(n, d)
        for pk, n, d in RegisterEntry.objects.filter(meeting=meeting).values_list(
            "pk", "weight_numerator", "weight_denominator"
        )
    }
    ballots = MeetingBallot.objects.filter(entry__meeting=meeting).values_list(
        "entry_id", "question_id", "choice"
    )
    questions = list(meeting.questions.order_by("position").values_list("pk", "threshold"))
    total = meeting.total_votes or Fraction(0)
    return rules_meetings.tally(total=total, weights=weights, ballots=ballots, questions=questions)
