"""A ballot for a poll this process has already seen open is checked against the poll's frozen
shape (kept per process) and written by one statement that also locks the poll and checks it is
still open (PostgreSQL). These tests change the poll between two ballots in the ways an operator
or the clock can, and check that the second ballot is judged by the poll as it is now: refusals
in the usual order with nothing written, the award under the current title. On SQLite every
ballot reads the poll first; the same behaviour holds there."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gorod.accounts.tests.factories import DistrictFactory, ResidentFactory
from gorod.points.models import Transfer
from gorod.voting import errors, services, services_ballot
from gorod.voting.models import Ballot, Participation, PendingBallot, Poll
from gorod.voting.rules import Answer, QuestionShape
from gorod.voting.targeting import Targeting

from .conftest import answers_for, make_poll

pytestmark = pytest.mark.django_db


def _ballots(poll: Poll) -> int:
    """Ballots taken: waiting for the mix or mixed."""
    return PendingBallot.objects.filter(poll=poll).count() + Ballot.objects.filter(poll=poll).count()


def _voter(**kw):
    return ResidentFactory(level="standard", **kw)


def _seen_open(poll: Poll) -> None:
    """A first ballot: this process now knows the poll as open, with its shape."""
    services.ballot_cast(poll_id=poll.pk, resident=_voter(), answers=answers_for(poll))
    assert _ballots(poll) == 1


def _refused(
    poll: Poll, error: type[Exception], answers: list[Answer] | None = None, voter=None, **kw
) -> None:
    voter = voter or _voter()
    with pytest.raises(error):
        services.ballot_cast(poll_id=poll.pk, resident=voter, answers=answers or answers_for(poll), **kw)
    assert not Participation.objects.filter(poll=poll, resident=voter).exists()
    assert _ballots(poll) == 1
    assert not Transfer.objects.filter(source_key=f"vote:{poll.pk}:{voter.pk}").exists()


def test_a_poll_closed_after_a_ballot_refuses_the_next():
    poll = make_poll()
    _seen_open(poll)
    services.poll_close(poll_id=poll.pk)
    _refused(poll, errors.PollClosed)


def test_closing_time_moved_earlier_by_the_operator_is_honoured_at_once():
    poll = make_poll()
    _seen_open(poll)
    Poll.objects.filter(pk=poll.pk).update(closes_at=timezone.now() - dt.timedelta(seconds=1))
    _refused(poll, errors.PollClosed)


def test_the_window_is_judged_at_the_ballots_time():
    poll = make_poll()
    _seen_open(poll)
    _refused(poll, errors.PollNotOpenYet, now=poll.opens_at - dt.timedelta(seconds=1))
    _refused(poll, errors.PollClosed, now=poll.closes_at)


def test_a_closed_poll_says_closed_before_it_looks_at_the_answers():
    poll = make_poll()
    _seen_open(poll)
    services.poll_close(poll_id=poll.pk)
    bad = [Answer(question_id=10**9, option_ids=(1,))]
    _refused(poll, errors.PollClosed, answers=bad)


def test_bad_answers_and_other_districts_still_refused_on_a_known_poll():
    district = DistrictFactory()
    poll = make_poll(targeting=Targeting.of(district_ids=[district.pk]))
    services.ballot_cast(
        poll_id=poll.pk,
        resident=ResidentFactory(level="standard", home_district=district),
        answers=answers_for(poll),
    )
    _refused(poll, errors.PollNotForYou)
    q1 = poll.questions.order_by("position").first()
    bad = [Answer(question_id=q1.pk, option_ids=(10**9,))]
    _refused(poll, errors.OptionNotInPoll, answers=bad, voter=_voter(home_district=district))


def test_a_second_ballot_of_the_same_resident_is_refused_and_writes_nothing():
    poll = make_poll()
    voter = _voter()
    services.ballot_cast(poll_id=poll.pk, resident=voter, answers=answers_for(poll))
    services.ballot_cast(poll_id=poll.pk, resident=_voter(), answers=answers_for(poll))
    with pytest.raises(errors.AlreadyVoted):
        services.ballot_cast(poll_id=poll.pk, resident=voter, answers=answers_for(poll, 1))
    assert _ballots(poll) == 2
    assert Transfer.objects.filter(source_key=f"vote:{poll.pk}:{voter.pk}").count() == 1


def test_the_award_carries_the_title_the_operator_gave_since():
    poll = make_poll()
    _seen_open(poll)
    Poll.objects.filter(pk=poll.pk).update(title="Renamed while open")
    voter = _voter()
    receipt = services.ballot_cast(poll_id=poll.pk, resident=voter, answers=answers_for(poll))
    assert receipt.points == 20
    assert Transfer.objects.get(source_key=f"vote:{poll.pk}:{voter.pk}").memo == "Renamed while open"


def test_a_kept_shape_of_another_poll_under_the_same_id_is_never_used():
    """A database rolled back and filled again may give a new poll an old poll's id: the kept
    shape is tied to the poll's creation time, so the ballot is judged by the new poll."""
    poll = make_poll()
    q1, q2 = list(poll.questions.order_by("position"))
    wrong = [
        QuestionShape(
            id=q1.pk, kind="single", max_choices=1, allow_other=False, option_ids=frozenset({10**9})
        ),
        QuestionShape(
            id=q2.pk, kind="single", max_choices=1, allow_other=False, option_ids=frozenset({10**9})
        ),
    ]
    earlier = poll.created_at - dt.timedelta(days=30)
    services_ballot._FROZEN_SHAPES[poll.pk] = services_ballot._Frozen(
        earlier, Targeting(), wrong, "active_citizen", "vote"
    )
    try:
        # answers the old shape would refuse are the new poll's own: accepted
        voter = _voter()
        services.ballot_cast(poll_id=poll.pk, resident=voter, answers=answers_for(poll))
        assert Participation.objects.filter(poll=poll, resident=voter).exists()
        # answers only the old shape would take are refused by the new poll, nothing written
        services_ballot._FROZEN_SHAPES[poll.pk] = services_ballot._Frozen(
            earlier, Targeting(), wrong, "active_citizen", "vote"
        )
        old_answers = [
            Answer(question_id=q1.pk, option_ids=(10**9,)),
            Answer(question_id=q2.pk, option_ids=(10**9,)),
        ]
        _refused(poll, errors.OptionNotInPoll, answers=old_answers)
    finally:
        services_ballot._FROZEN_SHAPES.pop(poll.pk, None)
