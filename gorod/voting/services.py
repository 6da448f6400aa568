"""Writes of the poll engine. Each function is one transaction; keyword-only arguments.

The engine is shared: Active Citizen city votes and Electronic Home neighbour surveys both go
through ``poll_create`` / ``ballot_cast`` / ``poll_close`` with a :class:`Targeting` spec.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from gorod.accounts import moderation
from gorod.accounts.models import Resident
from gorod.accounts.services import audit_record
from gorod.core.cache import shared_cache
from gorod.core.errors import DomainError, PermissionDenied
from gorod.core.time import to_city
from gorod.points import services as points_services
from gorod.points import sql as points_sql
from gorod.voting import errors, permissions, rules, seal, selectors, sql, tally
from gorod.voting import mix as services_mix
from gorod.voting.ballots import (
    BallotRow,
    OpenPollReward,
    ballot_rows_insert,
    ballot_rows_insert_if_open,
)
from gorod.voting.models import (
    ModerationStatus,
    Option,
    OtherAnswer,
    Poll,
    PollBuilding,
    PollKind,
    PollStatus,
    Question,
    QuestionKind,
)
from gorod.voting.selectors import check_eligible, question_shapes
from gorod.voting.targeting import Targeting, area_ok, buildings_ok, level_ok, targeting_of

# "Other" answers may be decided again (a moderator corrects a slip), so there is no pending
# state to leave; the audit log keeps one action name for both decisions, as it always has.
OTHER_ANSWER_MODERATION = moderation.Moderation(
    pending=None,
    published=ModerationStatus.APPROVED,
    publish_action="voting.other_answer_moderate",
    reject_action="voting.other_answer_moderate",
    reason_field="reason",
    moderator_field=None,
    at_field=None,
)


@dataclass(frozen=True)
class QuestionSpec:
    text: str
    options: Sequence[str]
    kind: str = QuestionKind.SINGLE
    max_choices: int = 1
    allow_other: bool = False
    # A budget question (voting/budgets): one cost per option, in the options' order.
    budget_roubles: int | None = None
    budget_rule: str = ""
    budget_rule_count: int = 0
    option_costs_roubles: Sequence[int] = ()


@dataclass(frozen=True)
class Receipt:
    """Shown to the voter once: the code is their only link to their ballot."""

    poll_id: int
    code: str
    receipt_hash: str
    points: int
    answers: list[rules.CleanAnswer] = field(default_factory=list)


def _check_questions(questions: Sequence[QuestionSpec]) -> None:
    if not questions:
        raise errors.PollIncomplete(field="questions")
    for spec in questions:
        options = [o.strip() for o in spec.options if o.strip()]
        if not spec.text.strip() or len(options) < 2 or len(set(options)) != len(options):
            raise errors.PollIncomplete(field="questions")
        if spec.kind not in QuestionKind.values or spec.max_choices < 1:
            raise errors.PollIncomplete(field="questions")
        if spec.kind == QuestionKind.MULTIPLE and spec.max_choices > len(options) + int(spec.allow_other):
            raise errors.PollIncomplete(field="questions")
        if spec.budget_roubles is not None and not rules.budget_question_ok(
            budget_roubles=spec.budget_roubles,
            rule=spec.budget_rule,
            count=spec.budget_rule_count,
            costs_roubles=list(spec.option_costs_roubles),
            options=len(spec.options),
            kind=spec.kind,
            allow_other=spec.allow_other,
        ):
            raise errors.PollIncomplete(field="questions")


def _add_questions(poll: Poll, questions: Sequence[QuestionSpec], start: int = 0) -> None:
    shared_cache.bump(selectors.POLLS)
    for position, spec in enumerate(questions, start=start):
        question = Question.objects.create(
            poll=poll,
            position=position,
            text=spec.text.strip(),
            kind=spec.kind,
            max_choices=1 if spec.kind == QuestionKind.SINGLE else spec.max_choices,
            allow_other=spec.allow_other,
            budget_roubles=spec.budget_roubles,
            budget_rule=spec.budget_rule if spec.budget_roubles is not None else "",
            budget_rule_count=spec.budget_rule_count,
        )
        costs = list(spec.option_costs_roubles)
        Option.objects.bulk_create(
            Option(
                question=question,
                position=i,
                text=text.strip(),
                cost_roubles=costs[i] if spec.budget_roubles is not None else None,
            )
            for i, text in enumerate(o for o in spec.options if o.strip())
        )


def _set_targeting(poll: Poll, spec: Targeting) -> None:
    shared_cache.bump(selectors.POLLS)
    spec.validate()
    poll.min_level = spec.min_level
    poll.save(update_fields=["min_level"])
    poll.target_okrugs.set(spec.okrug_ids)
    poll.target_districts.set(spec.district_ids)
    PollBuilding.objects.filter(poll=poll).delete()
    PollBuilding.objects.bulk_create(
        PollBuilding(poll=poll, building_id=b) for b in sorted(spec.building_ids)
    )


def _snapshot(poll: Poll) -> dict[str, Any]:
    return {
        "status": poll.status,
        "opens_at": poll.opens_at.isoformat(),
        "closes_at": poll.closes_at.isoformat(),
    }


@transaction.atomic
def poll_create(
    *,
    title: str,
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    questions: Sequence[QuestionSpec],
    targeting: Targeting | None = None,
    description: str = "",
    kind: str = PollKind.CITY_VOTE,
    live_results: bool = False,
    binding: bool = True,
    reward_programme: str = "active_citizen",
    reward_action: str = "vote",
    actor: Resident | None = None,
) -> Poll:
    """Create a draft poll with its questions and targeting (None = the whole city)."""
    if closes_at <= opens_at:
        raise errors.PollWindowInvalid(field="closes_at")
    if not title.strip():
        raise errors.PollIncomplete(field="title")
    _check_questions(questions)
    poll = Poll.objects.create(
        kind=kind,
        title=title.strip(),
        description=description,
        opens_at=opens_at,
        closes_at=closes_at,
        live_results=live_results,
        binding=binding,
        reward_programme=reward_programme,
        reward_action=reward_action,
        created_by=actor,
    )
    _add_questions(poll, questions)
    _set_targeting(poll, targeting or Targeting())
    if actor is not None:
        audit_record(actor=actor, action="voting.poll_create", target=poll, after=_snapshot(poll))
    return poll


def _locked(poll_id: int) -> Poll:
    try:
        return Poll.objects.select_for_update().get(pk=poll_id)
    except Poll.DoesNotExist:
        raise errors.PollNotFound(poll_id=poll_id) from None


@transaction.atomic
def question_add(*, poll_id: int, question: QuestionSpec, actor: Resident | None = None) -> Question:
    """Add a question to a draft or scheduled poll; an open poll's questions are fixed."""
    poll = _locked(poll_id)
    if poll.status not in rules.EDITABLE_STATUSES:
        raise errors.PollNotEditable(poll_id=poll.pk)
    _check_questions([question])
    _add_questions(poll, [question], start=poll.questions.count())
    if actor is not None:
        audit_record(actor=actor, action="voting.question_add", target=poll, after={"text": question.text})
    return poll.questions.order_by("-position", "-pk").first()  # type: ignore[return-value]


def _move(poll: Poll, to_status: str, actor: Resident | None, reason: str = "", **fields: Any) -> Poll:
    before = _snapshot(poll)
    rules.check_transition(poll.status, to_status)
    poll.status = to_status
    for name, value in fields.items():
        setattr(poll, name, value)
    poll.save(update_fields=["status", *fields])
    shared_cache.bump(selectors.POLLS)
    shared_cache.bump(selectors.RESULTS)
    audit_record(
        actor=actor,
        action=f"voting.poll_{to_status}",
        target=poll,
        before=before,
        after=_snapshot(poll),
        reason=reason,
    )
    return poll


def _check_manager(actor: Resident | None) -> None:
    """The irreversible moves: the clock (no actor) or an operator, nobody else."""
    if actor is not None and not permissions.may_manage_polls(actor):
        raise PermissionDenied()


def _check_complete(poll: Poll) -> None:
    questions = list(poll.questions.prefetch_related("options"))
    if not questions or any(len(q.options.all()) < 2 for q in questions):
        raise errors.PollIncomplete(field="questions")


@transaction.atomic
def poll_schedule(*, poll_id: int, actor: Resident | None = None) -> Poll:
    """Draft → scheduled: the clock opens it at ``opens_at``."""
    poll = _locked(poll_id)
    _check_complete(poll)
    return _move(poll, PollStatus.SCHEDULED, actor)


@transaction.atomic
def poll_open(*, poll_id: int, actor: Resident | None = None, now: dt.datetime | None = None) -> Poll:
    """Open a poll now (operator) or at its time (schedule); opening early moves ``opens_at``."""
    poll = _locked(poll_id)
    _check_complete(poll)
    now = now or timezone.now()
    if now >= poll.closes_at:
        raise errors.PollWindowInvalid(field="closes_at")
    return _move(poll, PollStatus.OPEN, actor, opens_at=min(poll.opens_at, now))


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


@transaction.atomic
def poll_close(
    *, poll_id: int, actor: Resident | None = None, now: dt.datetime | None = None, reason: str = ""
) -> Poll:
    """Open → closed: mix every ballot still pending (no ballot can arrive any more: the poll is
    locked), take the tally with grouped queries, publish the Merkle root, store both, and keep
    the receipts' tree as a file (final from here on) so inclusion proofs need not rebuild it.

    Closing before ``closes_at`` is an early close (operator); it moves ``closes_at`` to now.
    Where the ballots cannot be opened here (no trustees' unlock), only that happens: the poll
    stays open, refusing votes, until the mixer closes it.
    """
    _check_manager(actor)
    poll = _locked(poll_id)
    rules.check_transition(poll.status, PollStatus.CLOSED)
    now = now or timezone.now()
    if not services_mix.can_open(poll.pk):
        # This process holds no key for the waiting ballots (a web process never does; a mixer
        # until k trustees unlock it): voting stops now, and the mixer's polls_close_due closes
        # the poll once it can count every ballot (ADR 0003, "Key custody").
        if poll.closes_at > now:
            poll.closes_at = now
            poll.save(update_fields=["closes_at"])
        return poll
    services_mix.ballots_mix(poll_id=poll.pk, final=True)
    result = tally.compute(poll)
    root, receipts_root, ballots_root, count = tally.merkle_root_of(poll)
    return _move(
        poll,
        PollStatus.CLOSED,
        actor,
        reason=reason,
        closed_at=now,
        closes_at=min(poll.closes_at, now),
        results=result,
        merkle_root=root,
        receipts_root=receipts_root,
        ballots_root=ballots_root,
        ballot_count=count,
    )


@transaction.atomic
def poll_results_publish(*, poll_id: int, actor: Resident | None = None, reason: str = "") -> Poll:
    _check_manager(actor)
    poll = _locked(poll_id)
    return _move(poll, PollStatus.PUBLISHED, actor, reason=reason, published_at=timezone.now())


@transaction.atomic
def poll_archive(*, poll_id: int, actor: Resident | None = None) -> Poll:
    poll = _locked(poll_id)
    return _move(poll, PollStatus.ARCHIVED, actor)


def polls_open_due(*, now: dt.datetime | None = None) -> int:
    """Schedule job: open every scheduled poll whose time has come; idempotent."""
    now = now or timezone.now()
    due = Poll.objects.filter(status=PollStatus.SCHEDULED, opens_at__lte=now, closes_at__gt=now)
    count = 0
    for poll_id in due.values_list("pk", flat=True):
        poll_open(poll_id=poll_id, now=now)
        count += 1
    return count


def polls_close_due(*, now: dt.datetime | None = None) -> int:
    """Schedule job: close every open poll past its closing time; idempotent."""
    now = now or timezone.now()
    count = 0
    for poll_id in Poll.objects.filter(status=PollStatus.OPEN, closes_at__lte=now).values_list(
        "pk", flat=True
    ):
        count += poll_close(poll_id=poll_id, now=now).status == PollStatus.CLOSED
    return count


@transaction.atomic
def other_answer_moderate(*, answer_id: Any, approve: bool, actor: Resident, reason: str = "") -> OtherAnswer:
    """Approve or reject an 'other' text before it is shown with the results."""
    if not permissions.may_moderate(actor):
        raise PermissionDenied()
    reason = moderation.reason_for(approve, reason, spec=OTHER_ANSWER_MODERATION, required=None)
    answer = OtherAnswer.objects.select_for_update().get(pk=answer_id)
    moderation.decide(answer, spec=OTHER_ANSWER_MODERATION, publish=approve, moderator=actor, reason=reason)
    shared_cache.bump(selectors.RESULTS)
    return answer
