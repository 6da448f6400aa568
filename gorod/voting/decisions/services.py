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
from gorod.voting.decisions.rules import check_geometry
from gorod.voting.models import Decision, DecisionStatus, Poll


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
    decision = Decision.objects.select_for_update().get(pk=decision_id)
    before = {"status": decision.status}
    rules.check_decision_transition(decision.status, status, reason)
    decision.status = status
    if status == DecisionStatus.DONE:
        decision.done_on = done_on or city_today()
    if status == DecisionStatus.CANCELLED:
        decision.cancel_reason = reason.strip()[:255]
    decision.save(update_fields=["status", "done_on", "cancel_reason"])
    audit_record(
        actor=actor,
        action="voting.decision_status_set",
        target=decision,
        before=before,
        after={"status": status, "at": timezone.now().isoformat()},
        reason=reason,
    )
    return decision
