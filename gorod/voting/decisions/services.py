"""Writes for decisions: what the city promised after a poll and how far it has got."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from gorod.accounts.models import District, Resident
from gorod.accounts.services import audit_record
from gorod.core.errors import PermissionDenied
from gorod.core.time import city_today
from gorod.voting import permissions, rules
from gorod.voting.decisions.rules import check_geometry, check_progress
from gorod.voting.errors import DecisionNotFound
from gorod.voting.models import Decision, DecisionProgress, DecisionStatus, Poll


@transaction.atomic
def decision_record(
    *,
    title: str,
    organisation: str,
    actor: Resident,
    poll: Poll | None = None,
    description: str = "",
    district: District | None = None,
    location: dict | None = None,
    planned_on: dt.date | None = None,
) -> Decision:
    check_geometry(location)
    decision = Decision.objects.create(
        poll=poll,
        title=title.strip(),
        description=description,
        organisation=organisation.strip(),
        district=district,
        location=location,
        planned_on=planned_on,
    )
    audit_record(
        actor=actor, action="voting.decision_record", target=decision, after={"title": decision.title}
    )
    return decision


@transaction.atomic
def decision_status_set(
    *, decision_id: int, status: str, actor: Resident, reason: str = "", done_on: dt.date | None = None
) -> Decision:
    """planned → in progress → done, or cancelled with a reason; done stamps the actual date."""
    if not permissions.may_manage_polls(actor):
        raise PermissionDenied()
    decision = _locked(decision_id)
    before = {"status": decision.status}
    rules.check_decision_transition(decision.status, status, reason)
    decision.status = status
    if status == DecisionStatus.DONE:
        decision.done_on = done_on or city_today()
        if decision.progress_percent != 100:  # done is all of it; the history says when
            _progress_record(decision, 100, actor, reason.strip()[:255])
    if status == DecisionStatus.CANCELLED:
        decision.cancel_reason = reason.strip()[:255]
    decision.save(update_fields=["status", "done_on", "cancel_reason", "progress_percent"])
    audit_record(
        actor=actor,
        action="voting.decision_status_set",
        target=decision,
        before=before,
        after={"status": status, "at": timezone.now().isoformat()},
        reason=reason,
    )
    return decision


def _progress_record(decision: Decision, percent: int, actor: Resident, note: str) -> None:
    decision.progress_percent = percent
    DecisionProgress.objects.create(
        decision=decision, percent=percent, note=note, changed_by=actor, changed_at=timezone.now()
    )


def _locked(decision_id: int) -> Decision:
    """The decision, locked for this transaction; a 404 refusal when there is none."""
    decision = Decision.objects.select_for_update().filter(pk=decision_id).first()
    if decision is None:
        raise DecisionNotFound()
    return decision


@transaction.atomic
def decision_progress_set(*, decision_id: int, percent: int, actor: Resident, note: str = "") -> Decision:
    """How far the work has got, in per cent, with a line of history (who, when, what was done).
    The first progress of a planned decision puts it in work; done (100) is its status's move."""
    if not permissions.may_manage_polls(actor):
        raise PermissionDenied()
    decision = _locked(decision_id)
    before = {"status": decision.status, "progress_percent": decision.progress_percent}
    check_progress(status=decision.status, current=decision.progress_percent, percent=percent)
    if decision.status == DecisionStatus.PLANNED and percent > 0:
        rules.check_decision_transition(decision.status, DecisionStatus.IN_PROGRESS, "")
        decision.status = DecisionStatus.IN_PROGRESS
    _progress_record(decision, percent, actor, note.strip()[:255])
    decision.save(update_fields=["status", "progress_percent"])
    audit_record(
        actor=actor,
        action="voting.decision_progress_set",
        target=decision,
        before=before,
        after={"status": decision.status, "progress_percent": percent},
        reason=note.strip()[:255],
    )
    return decision
