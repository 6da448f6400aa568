"""Neighbour surveys: non-binding polls among a building's residents, on the poll engine of
Active Citizen (gorod.voting), targeted at the building. Housing tells voting who lives where
through a BuildingDirectory registered at start-up."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from gorod.accounts.models import Resident
from gorod.housing import errors, permissions
from gorod.housing.buildings.selectors import lives_in
from gorod.housing.models import Building
from gorod.housing.surveys.rules import survey_options_valid
from gorod.points import services as points
from gorod.voting import services as voting
from gorod.voting.models import Poll, PollKind
from gorod.voting.targeting import Targeting

PROGRAMME = "electronic_home"
MAX_DAYS = 60


@transaction.atomic
def survey_create(
    *,
    building: Building,
    title: str,
    questions: Sequence[tuple[str, Sequence[str]]],
    days: int,
    actor: Resident,
) -> Poll:
    """A neighbour, or the building's administrator, opens a survey of the building at once; it
    closes after ``days``. Refused before anything is written, with housing's own codes (the
    poll engine's would not be in this app's documented answers)."""
    neighbour = lives_in(actor, building)
    if not (neighbour or permissions.administers(actor, building)):
        raise errors.SurveyNotAllowed()
    if not 1 <= days <= MAX_DAYS:
        raise errors.InvalidInput(field="days")
    if not title.strip():
        raise errors.SurveyIncomplete(field="title")
    if not questions or any(
        not text.strip() or not survey_options_valid(options) for text, options in questions
    ):
        raise errors.SurveyIncomplete(field="questions")
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
