"""The rows a vote writes (participation and the sealed pending ballot), in as few round trips as
the database allows. Called only from :func:`gorod.voting.services.ballot_cast`, inside its
transaction. The ballot itself is written later, shuffled into a batch, by ``gorod.voting.mix``.

On PostgreSQL the two inserts are one statement (``sql.ballot_rows_insert``): "already voted"
writes nothing and costs no savepoint. Elsewhere (SQLite) the ORM does the same in two statements.
For a poll this process has already seen open, :func:`ballot_rows_insert_if_open` also takes the
poll's share lock and checks that it is still open in that same statement.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connection, transaction

from gorod.voting import errors, sql
from gorod.voting.models import Participation, PendingBallot, new_ballot_id


@dataclass(frozen=True)
class BallotRow:
    poll_id: int
    resident_id: int
    voted_on: dt.date
    sealed: bytes  # seal.seal() of the ballot: nothing here is readable without the seal key


def _values(row: BallotRow) -> dict[str, Any]:
    return {
        "poll_id": row.poll_id,
        "resident_id": row.resident_id,
        "voted_on": row.voted_on,
        "ballot_id": new_ballot_id(),
        "sealed": row.sealed,
    }


def ballot_rows_insert_portable(row: BallotRow) -> bool:
    """The ORM way (any database): participation, then the pending ballot; whether written."""
    try:
        with transaction.atomic():
            Participation.objects.create(
                poll_id=row.poll_id, resident_id=row.resident_id, voted_on=row.voted_on
            )
    except IntegrityError:
        return False
    PendingBallot.objects.create(poll_id=row.poll_id, sealed=row.sealed)
    return True


@dataclass(frozen=True)
class OpenPollReward:
    """What the award needs of a poll, read as the ballot was written (the title may change)."""

    title: str
    reward_programme: str
    reward_action: str
    # the vote's points transfer, when the ballot's statement wrote it (``award`` given)
    transfer_id: int | None = None


def ballot_rows_insert_if_open(
    row: BallotRow, *, created_at: dt.datetime, now: dt.datetime, award: dict[str, Any] | None = None
) -> OpenPollReward | None:
    """PostgreSQL only. Write the ballot's rows if the poll created at ``created_at`` is open at
    ``now``, locking it for share, and with ``award`` its points (``sql.ballot_rows_insert_if_open``);
    None (nothing written) if it is not, ``AlreadyVoted`` (nothing written) if the resident has
    voted."""
    found = sql.ballot_rows_insert_if_open(**_values(row), created_at=created_at, now=now, award=award)
    if found is None:
        return None
    title, programme, action, inserted, transfer_id = found
    if not inserted:
        raise errors.AlreadyVoted(poll_id=row.poll_id)
    return OpenPollReward(
        title=title, reward_programme=programme, reward_action=action, transfer_id=transfer_id
    )


def ballot_rows_insert(row: BallotRow) -> None:
    """Write the participation and the sealed pending ballot, or raise ``AlreadyVoted`` (no rows)."""
    recorded = (
        sql.ballot_rows_insert(**_values(row))
        if connection.vendor == "postgresql"
        else ballot_rows_insert_portable(row)
    )
    if not recorded:
        raise errors.AlreadyVoted(poll_id=row.poll_id)
