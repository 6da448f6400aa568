"""The mix (ADR 0003): sealed pending ballots become counted ballots, in shuffled batches.

A vote writes the resident's participation and a sealed ``PendingBallot`` in one transaction.
Here, in another transaction, a batch of pending ballots is opened and written as three lists,
each in its own random order and with fresh random ids: ballots (choices, and the district only
where at least 10 of the batch's ballots are from it), receipts, and "other" texts. The sealed
rows are deleted. So every ballot of a batch has the same transaction id, no time, and a place
in the table that says nothing about arrival; which of the batch's voters cast it is chance.

A batch is at least ``GOROD_BALLOT_MIX_MIN`` (10) ballots. The close mixes whatever is left; if
that is fewer than 10, earlier ballots (and receipts and texts) are taken out at random and
mixed again with them, so the last voters hide among at least 10 too.

Opening needs the private key of the epoch the ballots are sealed to, which only a mixer that k
trustees have unlocked holds (``gorod.voting.custody``). While locked, votes are still taken
(sealed), a periodic mix does nothing and a close waits (``services.poll_close``).
"""

from __future__ import annotations

import logging
import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count

from gorod.core import merkle
from gorod.core.cache import shared_cache
from gorod.voting import rules, seal, sql, tally
from gorod.voting.custody import keyring
from gorod.voting.models import (
    Ballot,
    BallotChoice,
    BallotReceipt,
    OtherAnswer,
    PendingBallot,
    Poll,
    PollStatus,
)
from gorod.voting.selectors import RESULTS

_random = secrets.SystemRandom()
log = logging.getLogger(__name__)


def _key_ids(sealed: list[bytes]) -> set[bytes]:
    return {seal.key_id_of(s) for s in sealed}


def pending_key_ids(poll_id: int | None = None) -> set[bytes]:
    """The epochs whose keys the ballots waiting (in one poll, or in all) are sealed to."""
    rows = PendingBallot.objects.all() if poll_id is None else PendingBallot.objects.filter(poll_id=poll_id)
    return _key_ids([bytes(s) for s in rows.values_list("sealed", flat=True).iterator()])


def can_open(poll_id: int) -> bool:
    """Whether this process holds every key the poll's waiting ballots need."""
    return all(keyring.private_for(k) is not None for k in pending_key_ids(poll_id))


def ballots_unlock_due() -> int:
    """Schedule job, before the mix: ask the trustees for the keys of the epochs that waiting
    ballots need and this process does not hold, and take those k trustees have given."""
    needed = {k for k in pending_key_ids() if keyring.private_for(k) is None}
    return keyring.unlock_requests_run(needed) if needed else 0


def _shuffled(items: list) -> list:
    _random.shuffle(items)
    return items


def _open_poll_shared(poll_id: int) -> bool:
    """Whether the poll is still open, read with a share lock so a close waits for this batch
    (SQLite serialises writers anyway)."""
    poll = sql.poll_for_share(poll_id)
    return poll is not None and poll.status == PollStatus.OPEN


def _take_back(
    poll_id: int, count: int
) -> tuple[list[tuple[str, int | None]], list[str], list[dict[str, Any]]]:
    """Remove ``count`` random earlier ballots, receipts and "other" texts of the poll and return
    them, to be mixed again with a final batch that is too small to hide in."""
    ballots = list(
        Ballot.objects.filter(poll_id=poll_id)
        .order_by("?")
        .values_list("id", "choices", "district_id")[:count]
    )
    receipts = list(
        BallotReceipt.objects.filter(poll_id=poll_id).order_by("?").values_list("id", "receipt_hash")[:count]
    )
    # texts taken back keep their moderation
    others: list[dict[str, Any]] = [
        dict(row)
        for row in OtherAnswer.objects.filter(poll_id=poll_id)
        .order_by("?")
        .values("id", "question_id", "text", "status", "reason")[:count]
    ]
    Ballot.objects.filter(pk__in=[b[0] for b in ballots]).delete()
    BallotReceipt.objects.filter(pk__in=[r[0] for r in receipts]).delete()
    OtherAnswer.objects.filter(pk__in=[o.pop("id") for o in others]).delete()
    return [(c, d) for _id, c, d in ballots], [h for _id, h in receipts], others


DELETE_SLICE = 10_000


def _write_batch(
    poll_id: int,
    ballots: list[tuple[str, int | None]],
    receipts: list[str],
    others: list[dict[str, Any]],
) -> None:
    shown = rules.districts_shown(d for _c, d in ballots)
    rows = [
        Ballot(
            poll_id=poll_id,
            choices=choices,
            leaf=merkle.leaf_hash(rules.ballot_leaf_bytes(choices)),
            district_id=district if district in shown else None,
        )
        for choices, district in _shuffled(ballots)
    ]
    Ballot.objects.bulk_create(rows, batch_size=2000)
    picks = [
        BallotChoice(
            ballot_id=row.pk, poll_id=poll_id, question_id=q, option_id=o, district_id=row.district_id
        )
        for row in rows
        for q, o in rules.picks_of(row.choices)
    ]
    BallotChoice.objects.bulk_create(_shuffled(picks), batch_size=2000)
    BallotReceipt.objects.bulk_create(
        (
            BallotReceipt(
                poll_id=poll_id,
                receipt_hash=digest,
                leaf=merkle.leaf_hash(rules.receipt_leaf_bytes(digest)),
            )
            for digest in _shuffled(receipts)
        ),
        batch_size=2000,
    )
    OtherAnswer.objects.bulk_create(
        (OtherAnswer(poll_id=poll_id, **fields) for fields in _shuffled(others)), batch_size=2000
    )


@transaction.atomic
def ballots_mix(*, poll_id: int, final: bool = False) -> int:
    """Mix the poll's pending ballots into the count; the number mixed (0 when fewer than the
    minimum wait, unless ``final``). ``final`` is the close's, inside its transaction, with the
    poll locked: every pending ballot is mixed, waiting for any batch still being written."""
    minimum = settings.GOROD_BALLOT_MIX_MIN
    if not final and not _open_poll_shared(poll_id):
        return 0
    # A periodic batch skips rows another batch holds; the close's takes them all.
    pending = list(
        PendingBallot.objects.filter(poll_id=poll_id)
        .select_for_update(skip_locked=not final)
        .values_list("id", "sealed")
    )
    if not pending or (not final and len(pending) < minimum):
        return 0
    if not all(keyring.private_for(k) is not None for k in _key_ids([bytes(s) for _i, s in pending])):
        if final:  # the close checks can_open first; a key lost in between is a loud failure
            raise seal.Locked()
        log.warning("poll %s: %s ballots wait for the trustees' unlock", poll_id, len(pending))
        return 0
    ballots: list[tuple[str, int | None]] = []
    receipts: list[str] = []
    others: list[dict[str, Any]] = []
    opened: dict = {}  # sender key -> AES key: one ECDH per web process and minute, not per ballot
    for _id, sealed in pending:
        content = seal.unseal(poll_id, bytes(sealed), opened)
        ballots.append((content.choices, content.district_id))
        receipts.append(content.receipt_hash)
        others.extend({"question_id": q, "text": text} for q, text in content.others)
    if final and len(pending) < minimum:
        more_ballots, more_receipts, more_others = _take_back(poll_id, minimum - len(pending))
        ballots += more_ballots
        receipts += more_receipts
        others += more_others
    _write_batch(poll_id, ballots, receipts, others)
    if Poll.objects.filter(pk=poll_id, live_results=True).exists():
        # the running tally and the results document change with this batch, and only with it
        tally.live_refresh(poll_id)
        shared_cache.bump(RESULTS)
    # in slices: a close after a long lock may hold more ballots than one statement's 65,535
    # parameters (found by bench/budgets.py at 100,000)
    ids = [p[0] for p in pending]
    for start in range(0, len(ids), DELETE_SLICE):
        PendingBallot.objects.filter(pk__in=ids[start : start + DELETE_SLICE]).delete()
    return len(pending)


def ballots_mix_due() -> int:
    """Schedule job: mix every open poll with at least the minimum of ballots waiting."""
    waiting = (
        PendingBallot.objects.filter(poll__status=PollStatus.OPEN)
        .values("poll_id")
        .annotate(n=Count("id"))
        .filter(n__gte=settings.GOROD_BALLOT_MIX_MIN)
        .order_by("poll_id")
    )
    return sum(ballots_mix(poll_id=row["poll_id"]) for row in list(waiting))
