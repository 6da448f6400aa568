"""Writes of the poll engine. Each function is one transaction; keyword-only arguments.

The engine is shared: Active Citizen city votes and Electronic Home neighbour surveys both go
through ``poll_create`` / ``ballot_cast`` / ``poll_close`` with a :class:`Targeting` spec.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from gorod.accounts import moderation
from gorod.accounts.models import Resident
from gorod.accounts.services import audit_record
from gorod.core.cache import shared_cache
from gorod.core.errors import PermissionDenied
from gorod.voting import errors, permissions, rules, selectors, tally
from gorod.voting import mix as services_mix
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
from gorod.voting.services_ballot import Receipt, ballot_cast
from gorod.voting.targeting import Targeting

__all__ = ["Receipt", "ballot_cast"]  # the ballot lives in services_ballot

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
