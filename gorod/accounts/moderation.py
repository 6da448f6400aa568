"""One way to record a moderator's decision on something a resident sent (a contest photo, a
discussion comment, a pet notice, an idea, a board announcement, a poll's "other" answer).

Every such queue works the same: a reason is required to reject and kept for the author; the
row, locked by the caller inside its transaction, must still be pending (two moderators acting
at once: the second is refused, not applied twice); the decision, who took it and when are
written in one save; the audit log gets an entry in the same transaction. What differs stays with
the caller: the row's lock (what it selects with it), its own refusals (each has a stable code
its API documents), and what follows a decision (points, a notification).

The models keep their own field names; a ``Moderation`` says which fields are which, so no
model or migration changes for this.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils import timezone

from gorod.accounts.models import Resident
from gorod.accounts.services import audit_record
from gorod.core.errors import DomainError


@dataclass(frozen=True)
class Moderation:
    """How one model records a moderator's decision."""

    publish_action: str  # audit log action names, as the audit log has always called them
    reject_action: str
    reason_field: str
    # Most queues call their states so; None as pending: a decision may be changed again.
    pending: str | None = "pending"
    published: str = "published"
    rejected: str = "rejected"
    moderator_field: str | None = "moderated_by"
    at_field: str | None = "moderated_at"
    reason_max: int = 255


def reason_for(
    publish: bool, reason: str | None, *, spec: Moderation, required: Callable[[], DomainError] | None
) -> str:
    """The reason as kept: stripped and cut to the column; rejecting without one is refused
    (``required`` builds the caller's own refusal; None where a reason is optional) before
    anything is locked or written."""
    text = (reason or "").strip()[: spec.reason_max]
    if not publish and not text and required is not None:
        raise required()
    return text


def decide(
    row: models.Model,
    *,
    spec: Moderation,
    publish: bool,
    moderator: Resident,
    reason: str,
    not_pending: Callable[[], DomainError] | None = None,
    also: dict[str, Any] | None = None,
) -> str:
    """Write the decision on ``row`` (locked by the caller, inside its transaction) and its
    audit entry. ``not_pending`` builds the caller's refusal when the row was already decided;
    ``also`` sets further fields in the same save (an announcement's publication time).
    Returns the new status."""
    before = row.status  # type: ignore[attr-defined]  # every moderated model has one
    if spec.pending is not None and before != spec.pending:
        assert not_pending is not None, "a Moderation with a pending state needs a refusal for it"
        raise not_pending()
    status = spec.published if publish else spec.rejected
    changes: dict[str, Any] = {"status": status, spec.reason_field: "" if publish else reason}
    if spec.moderator_field:
        changes[spec.moderator_field] = moderator
    if spec.at_field:
        changes[spec.at_field] = timezone.now()
    changes.update(also or {})
    for name, value in changes.items():
        setattr(row, name, value)
    row.save(update_fields=list(changes))
    audit_record(
        actor=moderator,
        action=spec.publish_action if publish else spec.reject_action,
        target=row,
        before={"status": before},
        after={"status": status},
        reason=reason,
    )
    return status
