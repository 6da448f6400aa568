"""Every hand-written SQL statement of the voting app, and only here (``tests/test_shape.py``
checks it). Each one is a fast path on a hot or heavy step that the ORM could take too, slower;
``tests/test_sql.py`` pairs every function with that ORM twin and checks they agree, on SQLite
and PostgreSQL (the PostgreSQL-only ones there only).

- :func:`poll_for_share`: the poll read on every ballot, with PostgreSQL's share lock (a close
  waits for ballots in flight). Written once per process: compiling the ORM query cost more CPU
  than the lookup.
- :func:`ballot_rows_insert` and :func:`ballot_rows_insert_if_open` (PostgreSQL): a vote's
  participation and sealed pending ballot in one statement, "already voted" costing no savepoint;
  the second also takes the share lock and checks the poll is open, one round trip fewer, and
  can write the vote's points too (the ledger's ``points_award_one``), four round trips fewer.
- :func:`sorted_leaves` (PostgreSQL): a poll's Merkle leaves sorted and joined by the server,
  one value instead of a million rows through the ORM.

Only identifiers from the models' metadata go into the text; every value is a bound parameter.
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from typing import Any

from django.db import connection

from gorod.core.db import rows
from gorod.core.ids import MAX_DB_ID
from gorod.points import sql as points_sql
from gorod.voting.models import Ballot, BallotReceipt, Participation, PendingBallot, Poll


def poll_for_share(poll_id: int) -> Poll | None:
    """The poll with every field loaded, read with a shared row lock on PostgreSQL (SQLite
    serialises writers, so it needs none). ORM twin: ``Poll.objects.filter(pk=poll_id).first()``,
    which also answers None for an id past a 64-bit integer (from a URL) where SQLite's driver
    raised OverflowError."""
    if not 0 < poll_id <= MAX_DB_ID:
        return None
    with connection.cursor() as cursor:
        cursor.execute(_poll_for_share_sql(connection.vendor), [poll_id])
        row = cursor.fetchone()
    return rows.from_row(Poll, row) if row is not None else None


@functools.cache
def _poll_for_share_sql(vendor: str) -> str:
    table = connection.ops.quote_name(Poll._meta.db_table)
    lock = " FOR SHARE" if vendor == "postgresql" else ""
    return f"SELECT {rows.columns(Poll, 'p')} FROM {table} p WHERE p.id = %s{lock}"  # noqa: S608


@functools.cache
def _sql(statement: str) -> str:
    return (
        statement.replace("{pending_ballot}", _PENDING)
        .replace("{award}", points_sql.AWARD_ONE_CALL.replace("{memo}", "title"))
        .format(
            poll=Poll._meta.db_table,
            participation=Participation._meta.db_table,
            pending=PendingBallot._meta.db_table,
        )
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


def ballot_rows_insert(
    *, poll_id: int, resident_id: int, voted_on: dt.date, ballot_id: uuid.UUID, sealed: bytes
) -> bool:
    """PostgreSQL only. Insert the participation and, only if it was new, the pending ballot;
    whether anything was written. ORM twin: ``ballots.ballot_rows_insert_portable``."""
    values: dict[str, Any] = {
        "poll": poll_id,
        "resident": resident_id,
        "voted_on": voted_on,
        "ballot": ballot_id,
        "sealed": sealed,
    }
    with connection.cursor() as cursor:
        cursor.execute(_sql(_ONE_STATEMENT), values)
        (inserted,) = cursor.fetchone()
    return bool(inserted)


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
SELECT title, reward_programme, reward_action, (SELECT count(*) FROM ballot), NULL::bigint FROM open_poll
"""

# The same, with the vote's points (a plain award, gorod.points.sql.AWARD_ONE_CALL) written by
# the statement once the ballot's rows are in, for a poll that still awards that programme and
# action: ballot and points in one round trip, and, outside a transaction, in one commit.
_IF_OPEN_AWARD_STATEMENT = """
WITH open_poll AS (
    SELECT id, title, reward_programme, reward_action FROM {poll}
    WHERE id = %(poll)s AND created_at = %(created_at)s AND status = 'open'
      AND opens_at <= %(now)s AND closes_at > %(now)s
      AND reward_programme = %(programme)s AND reward_action = %(action)s
    FOR SHARE
), took_part AS (
    INSERT INTO {participation} (poll_id, resident_id, voted_on)
    SELECT id, %(resident)s, %(voted_on)s FROM open_poll
    ON CONFLICT (poll_id, resident_id) DO NOTHING
    RETURNING poll_id
{pending_ballot}
SELECT title, reward_programme, reward_action, (SELECT count(*) FROM ballot),
       CASE WHEN EXISTS (SELECT 1 FROM ballot) THEN {award} END
FROM open_poll
"""


def ballot_rows_insert_if_open(
    *,
    poll_id: int,
    resident_id: int,
    voted_on: dt.date,
    ballot_id: uuid.UUID,
    sealed: bytes,
    created_at: dt.datetime,
    now: dt.datetime,
    award: dict[str, Any] | None = None,
) -> tuple[str, str, str, bool, int | None] | None:
    """PostgreSQL only. If the poll created at ``created_at`` is open at ``now`` (locked for
    share): its (title, reward programme, reward action), whether the rows were written (False:
    the resident had voted) and, with ``award`` (``programme``, ``action`` and the parameters of
    ``AWARD_ONE_CALL``) for a poll still awarding that programme and action, the id of the
    points transfer written with them (None: the function wrote nothing). None, nothing written,
    if the poll is not open (or no longer awards that). ORM twin: the open-poll filter, then
    ``ballots.ballot_rows_insert_portable`` and ``points.services.award``."""
    values: dict[str, Any] = {
        "poll": poll_id,
        "resident": resident_id,
        "voted_on": voted_on,
        "ballot": ballot_id,
        "sealed": sealed,
        "created_at": created_at,
        "now": now,
        **(award or {}),
    }
    with connection.cursor() as cursor:
        cursor.execute(_sql(_IF_OPEN_AWARD_STATEMENT if award else _IF_OPEN_STATEMENT), values)
        found = cursor.fetchone()
    if found is None:
        return None
    title, programme, action, inserted, transfer_id = found
    return title, programme, action, bool(inserted), transfer_id


def sorted_leaves(model: type[Ballot] | type[BallotReceipt], poll_id: int) -> bytes:
    """PostgreSQL only. The poll's ballot or receipt leaves in ascending order, joined. ORM twin:
    ``tally.sorted_leaves_portable``."""
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT string_agg(leaf, ''::bytea ORDER BY leaf) FROM {table} WHERE poll_id = %s",  # noqa: S608
            [poll_id],
        )
        (joined,) = cursor.fetchone()
    return bytes(joined or b"")
