"""Casting a ballot: the poll engine's hottest write (see ``services`` for the rest; callers use
``services.ballot_cast``). One transaction per ballot; on PostgreSQL, for a poll this process has
seen open, one statement that writes the ballot's rows and its points (``sql``, ``ballots``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from gorod.accounts.models import Resident
from gorod.core.errors import DomainError
from gorod.core.time import to_city
from gorod.points import services as points_services
from gorod.points import sql as points_sql
from gorod.voting import errors, rules, seal, sql
from gorod.voting.ballots import (
    BallotRow,
    OpenPollReward,
    ballot_rows_insert,
    ballot_rows_insert_if_open,
)
from gorod.voting.models import Poll, PollStatus
from gorod.voting.selectors import check_eligible, question_shapes
from gorod.voting.targeting import Targeting, area_ok, buildings_ok, level_ok, targeting_of


@dataclass(frozen=True)
class Receipt:
    """Shown to the voter once: the code is their only link to their ballot."""

    poll_id: int
    code: str
    receipt_hash: str
    points: int
    answers: list[rules.CleanAnswer] = field(default_factory=list)


def _lock_open_poll_for_ballot(poll_id: int) -> Poll:
    """Read the poll with a shared lock so ``poll_close`` waits for ballots in flight.

    Ballots share the lock with each other; the close takes it exclusively, so no ballot can
    commit after the tally has been taken. SQLite serialises writers anyway (IMMEDIATE mode).
    """
    found = sql.poll_for_share(poll_id)
    if found is None:
        raise errors.PollNotFound(poll_id=poll_id)
    return found


# An open poll's questions and targeting are frozen (services and console refuse edits; it can
# only move on to closed), so each process keeps them after the first ballot instead of
# re-reading five tables per ballot, with the poll's creation time so that a reused id (a
# rolled-back database) never matches a stale entry, and the programme and action it awarded
# then (the ballot's statement checks they still hold before it writes points for them). What
# the console may still change on an open poll (its title, its closing time) is never taken
# from here.
@dataclass(frozen=True)
class _Frozen:
    created_at: dt.datetime
    targeting: Targeting
    shapes: list[rules.QuestionShape]
    reward_programme: str
    reward_action: str


_FROZEN_SHAPES: dict[int, _Frozen] = {}


def _frozen_shape(poll: Poll) -> tuple[Targeting, list[rules.QuestionShape]]:
    if poll.status != PollStatus.OPEN:
        return targeting_of(poll), question_shapes(poll)
    found = _FROZEN_SHAPES.get(poll.pk)
    if found is None or found.created_at != poll.created_at:
        if len(_FROZEN_SHAPES) > 256:
            _FROZEN_SHAPES.clear()
        found = _FROZEN_SHAPES[poll.pk] = _Frozen(
            poll.created_at,
            targeting_of(poll),
            question_shapes(poll),
            poll.reward_programme,
            poll.reward_action,
        )
    return found.targeting, found.shapes


def ballot_cast(
    *,
    poll_id: int,
    resident: Resident,
    answers: Sequence[rules.Answer],
    resident_building_ids: Collection[int] | None = None,
    now: dt.datetime | None = None,
) -> Receipt:
    """Record a resident's secret ballot and award the poll's points; a ballot is final.

    Refusals (closed, not yet open, not for you, already voted, bad answers) write nothing.

    On PostgreSQL, for a poll this process has seen open, the ballot and its points are one
    statement; outside any transaction that statement is the whole transaction (one commit,
    no BEGIN), and anything it cannot do alone it undoes, so the full path below runs instead.
    """
    now = now or timezone.now()
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        known = _FROZEN_SHAPES.get(poll_id)
        if known is not None:
            receipt = _cast_while_open(poll_id, resident, answers, resident_building_ids, now, known)
            if receipt is not None:
                return receipt
    return _ballot_cast(
        poll_id=poll_id,
        resident=resident,
        answers=answers,
        resident_building_ids=resident_building_ids,
        now=now,
    )


@transaction.atomic(durable=True)
def _ballot_cast(
    *,
    poll_id: int,
    resident: Resident,
    answers: Sequence[rules.Answer],
    resident_building_ids: Collection[int] | None,
    now: dt.datetime,
) -> Receipt:
    known = _FROZEN_SHAPES.get(poll_id) if connection.vendor == "postgresql" else None
    if known is not None:
        receipt = _cast_while_open(poll_id, resident, answers, resident_building_ids, now, known)
        if receipt is not None:
            return receipt
    poll = _lock_open_poll_for_ballot(poll_id)
    rules.check_window(status=poll.status, opens_at=poll.opens_at, closes_at=poll.closes_at, now=now)
    spec, shapes = _frozen_shape(poll)
    check_eligible(poll, resident, resident_building_ids, spec)
    cleaned = rules.clean_ballot(shapes, answers)
    code, row = _ballot_row(poll.pk, resident, cleaned, now)
    ballot_rows_insert(row)
    return _receipt(poll.pk, resident, cleaned, code, poll)


def _cast_while_open(
    poll_id: int,
    resident: Resident,
    answers: Sequence[rules.Answer],
    resident_building_ids: Collection[int] | None,
    now: dt.datetime,
    known: _Frozen,
) -> Receipt | None:
    """The ballot for a poll this process has seen open, checked against its frozen shape and
    written by one statement that also locks the poll, checks it is still open then and, for a
    plain award (``points.services.plain_award``), writes the vote's points. None, with nothing
    written, when any check fails: the full path then reads the poll and gives the refusal, in
    its order (the window before the rest).

    Inside a transaction (``_ballot_cast``, or a caller's block such as the Idempotency-Key's),
    an award the statement could not write is written by ``award`` after it, in the same
    transaction. Outside one (autocommit) the statement must be all or nothing: the award
    function then raises instead, which undoes the ballot's rows too, and None sends the ballot
    down the full path."""
    spec = known.targeting
    try:
        if not (
            level_ok(resident, spec.min_level)
            and area_ok(resident, spec)
            and buildings_ok(resident, spec, resident_building_ids)
        ):
            return None
        cleaned = rules.clean_ballot(known.shapes, answers)
    except DomainError:
        return None
    in_transaction = connection.in_atomic_block
    plan = None
    if known.reward_action:
        plan = points_services.plain_award(
            resident=resident, programme=known.reward_programme, action=known.reward_action, now=now
        )
        if plan is None and not in_transaction:
            return None  # an award the statement cannot write: the full path, in a transaction
    award: dict[str, Any] | None = None
    if plan is not None:
        award = {
            "programme": known.reward_programme,
            "action": known.reward_action,
            **points_services.plain_award_params(
                plan, source_key=_vote_source_key(poll_id, resident), now=now, or_raise=not in_transaction
            ),
        }
    code, row = _ballot_row(poll_id, resident, cleaned, now)
    try:
        poll = ballot_rows_insert_if_open(row, created_at=known.created_at, now=now, award=award)
    except DatabaseError as error:
        if in_transaction or getattr(error.__cause__, "sqlstate", None) != points_sql.AWARD_ONE_REFUSED:
            raise
        # autocommit: the refusal undid the whole statement; read the rule afresh, full path
        points_services.plain_award_forget(programme=known.reward_programme, action=known.reward_action)
        return None
    if poll is None:
        return None
    if plan is not None and poll.transfer_id is not None:
        return Receipt(
            poll_id=poll_id,
            code=code,
            receipt_hash=rules.receipt_hash(code),
            points=plan.amount,
            answers=cleaned,
        )
    if plan is not None:
        points_services.plain_award_forget(programme=known.reward_programme, action=known.reward_action)
    return _receipt(poll_id, resident, cleaned, code, poll)


def _vote_source_key(poll_id: int, resident: Resident) -> str:
    return f"vote:{poll_id}:{resident.pk}"


def _ballot_row(
    poll_id: int, resident: Resident, cleaned: list[rules.CleanAnswer], now: dt.datetime
) -> tuple[str, BallotRow]:
    """A new receipt code and the rows that record the ballot under it."""
    code = rules.new_receipt_code()
    content = seal.SealedContent(
        receipt_hash=rules.receipt_hash(code),
        choices=rules.canonical_choices(cleaned),
        district_id=resident.home_district_id,
        others=[(a.question_id, a.other) for a in cleaned if a.has_other],
    )
    return code, BallotRow(
        poll_id=poll_id,
        resident_id=resident.pk,
        voted_on=to_city(now).date(),  # the day as residents count days, as everywhere else
        sealed=seal.seal(poll_id, content),
    )


def _receipt(
    poll_id: int,
    resident: Resident,
    cleaned: list[rules.CleanAnswer],
    code: str,
    poll: Poll | OpenPollReward,
) -> Receipt:
    """After the vote's rows, its points. Its "other" texts are sealed with the ballot and written
    by the mix (here they would share the vote's transaction)."""
    points = 0
    if poll.reward_action:
        award = points_services.award(
            resident=resident,
            programme=poll.reward_programme,
            action=poll.reward_action,
            source_key=_vote_source_key(poll_id, resident),
            memo=poll.title[:200],
        )
        points = award.amount
    return Receipt(
        poll_id=poll_id, code=code, receipt_hash=rules.receipt_hash(code), points=points, answers=cleaned
    )
