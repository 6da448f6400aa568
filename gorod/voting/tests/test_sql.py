"""Each function of ``gorod/voting/sql.py`` against its ORM twin: the same rows read or written,
the same answer. The PostgreSQL-only statements (data-modifying CTEs, ``string_agg`` over bytea)
are skipped on SQLite, where the ORM twin is what production runs anyway; run this file with
DATABASE_URL pointing at PostgreSQL as well (CI does both)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from conftest import is_postgres
from gorod.accounts.tests.factories import ResidentFactory
from gorod.voting import ballots, mix, services, sql, tally
from gorod.voting.ballots import BallotRow
from gorod.voting.models import Ballot, BallotReceipt, Participation, PendingBallot, Poll, new_ballot_id

from .conftest import answers_for, make_poll

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif(not is_postgres(), reason="PostgreSQL's SQL; SQLite runs the ORM twin")


def _fields(poll: Poll) -> dict:
    return {f.attname: getattr(poll, f.attname) for f in Poll._meta.concrete_fields}


def test_poll_for_share_is_the_orm_row():
    poll = make_poll()
    with transaction.atomic():
        found = sql.poll_for_share(poll.pk)
        missing = sql.poll_for_share(poll.pk + 1000)
    expected = Poll.objects.filter(pk=poll.pk).first()
    assert missing is None and Poll.objects.filter(pk=poll.pk + 1000).first() is None
    assert found is not None and expected is not None and not found._state.adding
    assert _fields(found) == _fields(expected)


def _written(poll: Poll, resident_id: int) -> tuple:
    """What a vote left behind for one resident, in a form both ways must agree on."""
    participation = Participation.objects.values_list("poll_id", "voted_on").get(
        poll=poll, resident_id=resident_id
    )
    return participation, PendingBallot.objects.filter(poll=poll).count()


@postgres_only
def test_ballot_rows_insert_writes_what_the_orm_writes():
    poll = make_poll()
    by_sql, by_orm = ResidentFactory(), ResidentFactory()
    today = timezone.localdate()
    sealed = b"\x01" * 32
    with transaction.atomic():
        assert sql.ballot_rows_insert(
            poll_id=poll.pk, resident_id=by_sql.pk, voted_on=today, ballot_id=new_ballot_id(), sealed=sealed
        )
        sql_rows = _written(poll, by_sql.pk)
        assert ballots.ballot_rows_insert_portable(BallotRow(poll.pk, by_orm.pk, today, sealed))
        orm_rows = _written(poll, by_orm.pk)
        assert sql_rows[0] == orm_rows[0] and (sql_rows[1], orm_rows[1]) == (1, 2)
        assert set(PendingBallot.objects.values_list("sealed", flat=True)) == {sealed}
        # a second vote: both refuse and write nothing
        again = {"poll_id": poll.pk, "voted_on": today, "ballot_id": new_ballot_id(), "sealed": sealed}
        assert sql.ballot_rows_insert(resident_id=by_sql.pk, **again) is False
        assert ballots.ballot_rows_insert_portable(BallotRow(poll.pk, by_orm.pk, today, sealed)) is False
        assert Participation.objects.filter(poll=poll).count() == 2 and PendingBallot.objects.count() == 2


def _orm_if_open(poll_id: int, created_at: dt.datetime, now: dt.datetime, row: BallotRow):
    """The ORM twin of ``sql.ballot_rows_insert_if_open``."""
    found = (
        Poll.objects.filter(
            pk=poll_id, created_at=created_at, status="open", opens_at__lte=now, closes_at__gt=now
        )
        .values_list("title", "reward_programme", "reward_action")
        .first()
    )
    if found is None:
        return None
    return (*found, ballots.ballot_rows_insert_portable(row), None)


@postgres_only
def test_ballot_rows_insert_if_open_answers_what_the_orm_answers():
    poll = make_poll()
    closed = make_poll(title="Closed already", status="draft")
    by_sql, by_orm = ResidentFactory(), ResidentFactory()
    now = timezone.now()
    today = timezone.localdate()
    sealed = b"\x02" * 32

    def by_statement(target: Poll, resident_id: int, created_at: dt.datetime):
        return sql.ballot_rows_insert_if_open(
            poll_id=target.pk,
            resident_id=resident_id,
            voted_on=today,
            ballot_id=new_ballot_id(),
            sealed=sealed,
            created_at=created_at,
            now=now,
        )

    with transaction.atomic():
        for target, created_at in [
            (poll, poll.created_at),
            (poll, poll.created_at + dt.timedelta(seconds=1)),
            (closed, closed.created_at),
        ]:
            for _attempt in range(2):  # the second time the resident has voted (when open)
                expected = _orm_if_open(
                    target.pk, created_at, now, BallotRow(target.pk, by_orm.pk, today, sealed)
                )
                assert by_statement(target, by_sql.pk, created_at) == expected
        assert Participation.objects.filter(poll=poll).count() == 2
        assert not Participation.objects.filter(poll=closed).exists()


@postgres_only
def test_sorted_leaves_are_the_orm_leaves_sorted():
    poll = make_poll()
    for _ in range(12):
        services.ballot_cast(
            poll_id=poll.pk, resident=ResidentFactory(level="standard"), answers=answers_for(poll)
        )
    mix.ballots_mix(poll_id=poll.pk, final=True)
    empty = make_poll(title="Nobody voted")
    for model in (Ballot, BallotReceipt):
        assert model.objects.filter(poll=poll).count() == 12
        assert sql.sorted_leaves(model, poll.pk) == tally.sorted_leaves_portable(model, poll.pk)
        assert len(sql.sorted_leaves(model, poll.pk)) == 12 * 32
        assert sql.sorted_leaves(model, empty.pk) == tally.sorted_leaves_portable(model, empty.pk) == b""
