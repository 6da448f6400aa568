"""The rows a vote writes (participation and the sealed pending ballot), in as few round trips as
the database allows. Called only from :func:`gorod.voting.services.ballot_cast`, inside its
transaction. The ballot itself is written later, shuffled into a batch, by ``services_mix``.

On PostgreSQL the two inserts are one statement: the participation insert skips on conflict
with the (poll, resident) unique constraint and the pending ballot is inserted only from the
participation row it returned, so "already voted" writes nothing and costs no savepoint.
Elsewhere (SQLite) the ORM does the same in two statements.

For a poll this process has already seen open, :func:`ballot_rows_insert_if_open` also takes
the poll's share lock and checks that it is still open in that same statement (one round trip
fewer than reading the poll first).
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connection, transaction

from gorod.core import rows
from gorod.voting import errors
from gorod.voting.models import Participation, PendingBallot, Poll, new_ballot_id


@dataclass(frozen=True)
class BallotRow:
    poll_id: int
    resident_id: int
    voted_on: dt.date
    sealed: bytes  # seal.seal() of the ballot: nothing here is readable without the seal key


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
    return statement.replace("{pending_ballot}", _PENDING).format(
        **{
            "poll": Poll._meta.db_table,
            "participation": Participation._meta.db_table,
            "pending": PendingBallot._meta.db_table,
        }
    )


# The sealed pending ballot, inserted from the participation row ``took_part`` returned.
_PENDING = """), ballot AS (
    INSERT INTO {pending} (id, poll_id, sealed)
    SELECT %(ballot)s, poll_id, %(sealed)s FROM took_part
    RETURNING id
)"""

_ONE_STATEMENT = """
WITH took_part AS (
    INSERT INTO {participation} (poll_id, resident_id, voted_on)
    VALUES (%(poll)s, %(resident)s, %(voted_on)s)
    ON CONFLICT (poll_id, resident_id) DO NOTHING
    RETURNING poll_id
{pending_ballot}
SELECT count(*) FROM ballot
"""


def _values(row: BallotRow) -> dict[str, Any]:
    return {
        "poll": row.poll_id,
        "resident": row.resident_id,
        "voted_on": row.voted_on,
        "ballot": new_ballot_id(),
        "sealed": row.sealed,
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
    PendingBallot.objects.create(poll_id=row.poll_id, sealed=row.sealed)
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
{pending_ballot}
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
    """Write the participation and the sealed pending ballot, or raise ``AlreadyVoted`` (no rows)."""
    recorded = _record_postgresql(row) if connection.vendor == "postgresql" else _record_portable(row)
    if not recorded:
        raise errors.AlreadyVoted(poll_id=row.poll_id)
