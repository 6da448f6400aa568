"""Reads of "guaranteed implementation": how many votes were held and what became of the
decisions they produced, on time or late, counted in the database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Q

from gorod.voting.models import Decision, DecisionProgress, DecisionStatus, Poll, PollKind, PollStatus


@dataclass(frozen=True)
class DecisionStatistics:
    votes_held: int
    decisions_taken: int
    implemented: int
    implemented_on_time: int
    implemented_late: int
    in_work: int
    overdue: int


def decision_statistics(today: dt.date) -> DecisionStatistics:
    votes = Poll.objects.filter(
        kind=PollKind.CITY_VOTE,
        status__in=[PollStatus.CLOSED, PollStatus.PUBLISHED, PollStatus.ARCHIVED],
    ).count()
    done = Q(status=DecisionStatus.DONE)
    late_done = done & Q(planned_on__isnull=False, done_on__gt=F("planned_on"))
    open_ = Q(status__in=[DecisionStatus.PLANNED, DecisionStatus.IN_PROGRESS])
    figures = Decision.objects.exclude(status=DecisionStatus.CANCELLED).aggregate(
        taken=Count("pk"),
        implemented=Count("pk", filter=done),
        late=Count("pk", filter=late_done),
        in_work=Count("pk", filter=open_),
        overdue=Count("pk", filter=open_ & Q(planned_on__lt=today)),
    )
    return DecisionStatistics(
        votes_held=votes,
        decisions_taken=figures["taken"],
        implemented=figures["implemented"],
        implemented_on_time=figures["implemented"] - figures["late"],
        implemented_late=figures["late"],
        in_work=figures["in_work"],
        overdue=figures["overdue"],
    )


def progress_history(decision_id: int) -> list[DecisionProgress]:
    """A decision's progress changes, oldest first, with who made each."""
    return list(DecisionProgress.objects.filter(decision_id=decision_id).select_related("changed_by"))
