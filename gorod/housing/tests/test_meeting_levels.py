"""Rights by level: a simplified account cannot vote in an owners' general meeting (it did), and
nothing is recorded; the minimum is the city's to raise (mos.ru asks for a full account)."""

from __future__ import annotations

import pytest

from gorod.housing import errors
from gorod.housing.meetings import services as services_meetings
from gorod.housing.models import MeetingBallot
from gorod.housing.tests.test_meetings import open_meeting, vote

pytestmark = pytest.mark.django_db


def test_a_simplified_owner_cannot_vote_and_nothing_is_recorded(building, house):
    meeting = open_meeting(building, house["A"])
    owner = house["B"]
    owner.level = "simplified"
    owner.save(update_fields=["level"])
    with pytest.raises(errors.AccountLevelTooLowToVote) as refused:
        vote(meeting, owner, "for", "for", "for", "for")
    assert refused.value.code == "level_too_low" and "standard" in refused.value.text
    assert not MeetingBallot.objects.filter(cast_by=owner).exists()
    # once confirmed, the same owner votes
    owner.level = "standard"
    owner.save(update_fields=["level"])
    assert vote(meeting, owner, "for", "for", "for", "for") == 1


def test_a_city_may_require_a_full_account(settings, building, house):
    settings.GOROD_OWNERS_MEETING_MIN_LEVEL = "full"
    meeting = open_meeting(building, house["A"])
    with pytest.raises(errors.AccountLevelTooLowToVote):
        vote(meeting, house["A"], "for", "for", "for", "for")  # a standard account
    assert not MeetingBallot.objects.filter(question__meeting=meeting).exists()
    house["A"].level = "full"
    house["A"].save(update_fields=["level"])
    assert (
        services_meetings.ballot_cast(
            meeting=meeting,
            resident=house["A"],
            answers={q.pk: "for" for q in meeting.questions.all()},
        )
        == 1
    )
