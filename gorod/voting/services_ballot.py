"""The rows a ballot writes (participation, ballot, picks), in as few round trips as the database
allows. Called only from :func:`gorod.voting.services.ballot_cast`, inside its transaction.

On PostgreSQL the three inserts are one statement: the participation insert skips on conflict
with the (poll, resident) unique constraint and the ballot and its picks are inserted only from
the participation row it returned, so "already voted" writes nothing and costs no savepoint.
Elsewhere (SQLite) the ORM does the same in three statements.

For a poll this process has already seen open, :func:`ballot_rows_insert_if_open` also takes
the poll's share lock and checks that it is still open in that same statement (one round trip
fewer than reading the poll first).
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connection, transaction

from gorod.core import rows
from gorod.voting import errors
from gorod.voting.models import Ballot, BallotChoice, Participation, Poll, new_ballot_id


@dataclass(frozen=True)
class BallotRow:
    poll_id: int
    resident_id: int
    voted_on: dt.date
    receipt_hash: str
    choices: str
    leaf: bytes
    district_id: int | None
    cast_hour: dt.datetime
    # (question id, option id or None for "other"), one per pick
    picks: Sequence[tuple[int, int | None]]


def poll_for_share(poll_id: int) -> Poll | None:
    """The poll read with a shared row lock (PostgreSQL), every field loaded. Written as SQL once
    per process: a raw queryset re-derived its column mapping on every ballot."""
    with connection.cursor() as cursor:
        cursor.execute(_poll_for_share_sql(connection.vendor), [poll_id])
        row = cursor.fetchone()
    return rows.from_row(Poll, row) if row is not None else None


@functools.cache
def _poll_for_share_sql(vendor: str) -> str:
    table = connection.ops.quote_name(Poll._meta.db_table)
    return f"SELECT {rows.columns(Poll, 'p')} FROM {table} p WHERE p.id = %s FOR SHARE"  # noqa: S608


@functools.cache
def _sql(statement: str) -> str:
    # Identifiers from the models' metadata only; every value is a bound parameter.
    return statement.replace("{ballot_and_picks}", _BALLOT_AND_PICKS).format(
        **{
            "poll": Poll._meta.db_table,
            "participation": Participation._meta.db_table,
            "ballot": Ballot._meta.db_table,
            "choice": BallotChoice._meta.db_table,
        }
    )


# The ballot and its picks, inserted from the participation row ``took_part`` returned.
_BALLOT_AND_PICKS = """), ballot AS (
    INSERT INTO {ballot} (id, poll_id, receipt_hash, choices, leaf, district_id, cast_hour)
    SELECT %(ballot)s, poll_id, %(receipt_hash)s, %(choices)s, %(leaf)s, %(district)s, %(cast_hour)s
    FROM took_part
    RETURNING id, poll_id
), picks AS (
    INSERT INTO {choice} (id, ballot_id, poll_id, question_id, option_id, district_id)
    SELECT pick.id, ballot.id, ballot.poll_id, pick.question_id, pick.option_id, %(district)s
    FROM ballot,
         UNNEST(%(pick_ids)s::uuid[], %(questions)s::bigint[], %(options)s::bigint[])
           AS pick(id, question_id, option_id)
    RETURNING 1
)"""

_ONE_STATEMENT = """
WITH took_part AS (
    INSERT INTO {participation} (poll_id, resident_id, voted_on)
    VALUES (%(poll)s, %(resident)s, %(voted_on)s)
    ON CONFLICT (poll_id, resident_id) DO NOTHING
    RETURNING poll_id
{ballot_and_picks}
SELECT count(*) FROM ballot
"""


def _values(row: BallotRow) -> dict[str, Any]:
    return {
        "poll": row.poll_id,
        "resident": row.resident_id,
        "voted_on": row.voted_on,
        "ballot": new_ballot_id(),
        "receipt_hash": row.receipt_hash,
        "choices": row.choices,
        "leaf": row.leaf,
        "district": row.district_id,
        "cast_hour": row.cast_hour,
        "pick_ids": [uuid.uuid4() for _ in row.picks],
        "questions": [q for q, _o in row.picks],
        "options": [o for _q, o in row.picks],
    }


def _record_postgresql(row: BallotRow) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(_sql(_ONE_STATEMENT), _values(row))
        (inserted,) = cursor.fetchone()
    return bool(inserted)


def _record_portable(row: BallotRow) -> bool:
    try:
        with transaction.atomic():
            Participation.objects.create(
                poll_id=row.poll_id, resident_id=row.resident_id, voted_on=row.voted_on
            )
    except IntegrityError:
        return False
    ballot = Ballot.objects.create(
        poll_id=row.poll_id,
        receipt_hash=row.receipt_hash,
        choices=row.choices,
        leaf=row.leaf,
        district_id=row.district_id,
        cast_hour=row.cast_hour,
    )
    BallotChoice.objects.bulk_create(
        BallotChoice(
            ballot=ballot, poll_id=row.poll_id, question_id=q, option_id=o, district_id=row.district_id
        )
        for q, o in row.picks
    )
    return True


# The same insert, run only while the poll is open, inside its window and still the poll whose
# shape the caller checked the ballot against (a rolled-back database may reuse an id). The share
# lock is the one poll_for_share takes: poll_close waits for the ballot, and a ballot that waited
# for a close sees the closed row and inserts nothing.
_IF_OPEN_STATEMENT = """
WITH open_poll AS (
    SELECT id, title, reward_programme, reward_action FROM {poll}
    WHERE id = %(poll)s AND created_at = %(created_at)s AND status = 'open'
      AND opens_at <= %(now)s AND closes_at > %(now)s
    FOR SHARE
), took_part AS (
    INSERT INTO {participation} (poll_id, resident_id, voted_on)
    SELECT id, %(resident)s, %(voted_on)s FROM open_poll
    ON CONFLICT (poll_id, resident_id) DO NOTHING
    RETURNING poll_id
{ballot_and_picks}
SELECT title, reward_programme, reward_action, (SELECT count(*) FROM ballot) FROM open_poll
"""


@dataclass(frozen=True)
class OpenPollReward:
    """What the award needs of a poll, read as the ballot was written (the title may change)."""

    title: str
    reward_programme: str
    reward_action: str


def ballot_rows_insert_if_open(
    row: BallotRow, *, created_at: dt.datetime, now: dt.datetime
) -> OpenPollReward | None:
    """PostgreSQL only. Write the ballot's rows if the poll created at ``created_at`` is open at
    ``now``, locking it for share; None (nothing written) if it is not, ``AlreadyVoted`` (nothing
    written) if the resident has voted."""
    with connection.cursor() as cursor:
        cursor.execute(_sql(_IF_OPEN_STATEMENT), {**_values(row), "created_at": created_at, "now": now})
        found = cursor.fetchone()
    if found is None:
        return None
    title, programme, action, inserted = found
    if not inserted:
        raise errors.AlreadyVoted(poll_id=row.poll_id)
    return OpenPollReward(title=title, reward_programme=programme, reward_action=action)


def ballot_rows_insert(row: BallotRow) -> None:
    """Write the participation, the ballot and its picks, or raise ``AlreadyVoted`` (no rows)."""
    recorded = _record_postgresql(row) if connection.vendor == "postgresql" else _record_portable(row)
    if not recorded:
        raise errors.AlreadyVoted(poll_id=row.poll_id)
