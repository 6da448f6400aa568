"""Eight simultaneous ballots from one resident on PostgreSQL: exactly one counts."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from conftest import postgres_only
from gorod.accounts.tests.factories import ResidentFactory
from gorod.points import selectors as points_selectors
from gorod.voting import errors, services
from gorod.voting.models import Ballot, BallotChoice, Participation

from .conftest import answers_for, make_poll

pytestmark = pytest.mark.usefixtures("points_defaults")


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_eight_concurrent_ballots_from_one_resident_count_once():
    resident = ResidentFactory(level="standard")
    poll = make_poll()
    answers = answers_for(poll)
    barrier = threading.Barrier(8)
    outcomes: list[str] = []
    lock = threading.Lock()

    def vote() -> None:
        try:
            barrier.wait()
            services.ballot_cast(poll_id=poll.pk, resident=resident, answers=answers)
            result = "ok"
        except errors.AlreadyVoted:
            result = "already_voted"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=vote) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["already_voted"] * 7 + ["ok"]
    assert Participation.objects.filter(poll=poll).count() == 1
    assert Ballot.objects.filter(poll=poll).count() == 1
    assert BallotChoice.objects.filter(poll=poll).count() == 2
    assert points_selectors.balance(resident).balance == 20


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_close_waits_for_ballots_in_flight():
    poll = make_poll()
    voters = [ResidentFactory() for _ in range(6)]
    answers = answers_for(poll)
    barrier = threading.Barrier(7)

    def vote(voter) -> None:
        try:
            barrier.wait()
            services.ballot_cast(poll_id=poll.pk, resident=voter, answers=answers)
        except errors.PollClosed:
            pass
        finally:
            connection.close()

    def close() -> None:
        try:
            barrier.wait()
            services.poll_close(poll_id=poll.pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=vote, args=(v,)) for v in voters] + [threading.Thread(target=close)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    poll.refresh_from_db()
    assert poll.ballot_count == Ballot.objects.filter(poll=poll).count()
