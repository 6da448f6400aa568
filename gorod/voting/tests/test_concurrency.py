"""Eight simultaneous ballots from one resident on PostgreSQL: exactly one counts. Each runs
twice: for a poll new to the process (ballots read it first) and for one it has seen open (the
lock and the open check ride on the insert)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from conftest import postgres_only
from gorod.accounts.tests.factories import ResidentFactory
from gorod.points import selectors as points_selectors
from gorod.voting import errors, services
from gorod.voting import mix as services_mix
from gorod.voting.models import Ballot, BallotChoice, Participation, PendingBallot

from .conftest import answers_for, at_once, make_poll

pytestmark = pytest.mark.usefixtures("points_defaults")


def _poll(seen_open: bool):
    poll = make_poll()
    if seen_open:
        services.ballot_cast(poll_id=poll.pk, resident=ResidentFactory(), answers=answers_for(poll))
    return poll


@postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("seen_open", [False, True])
def test_eight_concurrent_ballots_from_one_resident_count_once(seen_open):
    resident = ResidentFactory(level="standard")
    poll = _poll(seen_open)
    answers = answers_for(poll)
    outcomes = at_once(8, lambda: services.ballot_cast(poll_id=poll.pk, resident=resident, answers=answers))
    assert outcomes == ["already_voted"] * 7 + ["ok"]
    assert Participation.objects.filter(poll=poll, resident=resident).count() == 1
    assert PendingBallot.objects.filter(poll=poll).count() == 1 + seen_open
    services_mix.ballots_mix(poll_id=poll.pk, final=True)  # ballots are counted once mixed
    assert Ballot.objects.filter(poll=poll).count() == 1 + seen_open
    assert BallotChoice.objects.filter(poll=poll).count() == 2 * (1 + seen_open)
    assert points_selectors.balance(resident).balance == 20


@postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("seen_open", [False, True])
def test_close_waits_for_ballots_in_flight(seen_open):
    poll = _poll(seen_open)
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


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_ballot_on_a_poll_seen_open_holds_the_polls_share_lock_until_it_commits():
    """The lock poll_close waits for is taken by the ballot's one statement, not only by the
    separate read of a poll new to the process."""
    import psycopg
    from django.db import transaction

    from gorod.voting.models import Poll

    poll = _poll(seen_open=True)
    voter = ResidentFactory()
    params = connection.get_connection_params()
    lock = f"SELECT id FROM {Poll._meta.db_table} WHERE id = %s FOR UPDATE NOWAIT"
    # an outer block (as the Idempotency-Key middleware opens) keeps the ballot's transaction open
    outer = transaction.atomic()
    outer._from_testcase = True
    with outer:
        services.ballot_cast(poll_id=poll.pk, resident=voter, answers=answers_for(poll))
        with (
            psycopg.connect(**params, autocommit=True) as other,
            pytest.raises(psycopg.errors.LockNotAvailable),
        ):
            other.execute(lock, [poll.pk])
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute(lock, [poll.pk])  # free once the ballot committed
