"""Neighbour surveys: non-binding polls among a building's residents, on the poll engine of
Active Citizen (gorod.voting), targeted at the building. Housing tells voting who lives where
through a BuildingDirectory registered at start-up."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence

from django.db import transaction
from django.utils import timezone

from gorod.accounts.models import Resident
from gorod.housing import errors, permissions
from gorod.housing.models import Building, LinkStatus, PremiseLink
from gorod.points import services as points
from gorod.voting import services as voting
from gorod.voting.models import Poll, PollKind
from gorod.voting.targeting import Targeting

PROGRAMME = "electronic_home"
MAX_DAYS = 60


class HousingBuildingDirectory:
    """Residents verified for a premise (confirmed link) live in its building."""

    def buildings_of(self, resident_id: int) -> set[int]:
        return set(
            PremiseLink.objects.filter(resident_id=resident_id, status=LinkStatus.CONFIRMED).values_list(
                "premise__building_id", flat=True
            )
        )

    def residents_of(self, building_ids: Collection[int]) -> set[int]:
        return set(
            PremiseLink.objects.filter(
                premise__building_id__in=list(building_ids), status=LinkStatus.CONFIRMED
            ).values_list("resident_id", flat=True)
        )


def lives_in(resident: Resident, building: Building) -> bool:
    return building.pk in HousingBuildingDirectory().buildings_of(resident.pk)


@transaction.atomic
def survey_create(
    *,
    building: Building,
    title: str,
    questions: Sequence[tuple[str, Sequence[str]]],
    days: int,
    actor: Resident,
) -> Poll:
    """A neighbour opens a survey for their building at once; it closes after ``days``."""
    neighbour = lives_in(actor, building)
    if not (neighbour or permissions.administers(actor, building)):
        raise errors.NotYourBuilding()
    if not 1 <= days <= MAX_DAYS:
        raise errors.InvalidInput(field="days")
    now = timezone.now()
    poll = voting.poll_create(
        title=title,
        opens_at=now,
        closes_at=now + dt.timedelta(days=days),
        questions=[voting.QuestionSpec(text=text, options=list(options)) for text, options in questions],
        targeting=Targeting.of(building_ids=[building.pk]),
        kind=PollKind.NEIGHBOUR_SURVEY,
        binding=False,
        reward_action="",
        live_results=True,
        actor=actor,
    )
    voting.poll_schedule(poll_id=poll.pk, actor=actor)
    poll = voting.poll_open(poll_id=poll.pk, actor=actor, now=now)
    if neighbour:
        # A neighbour asking neighbours earns; an administrator surveying for the building does
        # so as part of the job (as meeting_hold rewards owners, not the management).
        points.award(
            resident=actor, programme=PROGRAMME, action="survey_create", source_key=f"survey:{poll.pk}"
        )
    return poll


def surveys_of(building_ids: Collection[int]) -> list[Poll]:
    return list(
        Poll.objects.filter(
            kind=PollKind.NEIGHBOUR_SURVEY, target_buildings__building_id__in=list(building_ids)
        )
        .distinct()
        .order_by("-opens_at")[:20]
    )
