"""The account level workflow: a resident asks for a higher level naming an identity document;
an operator compares it with the original and decides, with a reason. The decision, not a
button, changes the level (services.resident_level_change, inside the same transaction), so
every level raised by hand says who checked which document and when."""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction
from django.utils import timezone

from gorod.accounts import errors, permissions
from gorod.accounts.models import AccountLevel, LevelRequest, LevelRequestStatus, Resident
from gorod.accounts.services import audit_record, resident_level_change
from gorod.core.errors import PermissionDenied

PASSPORT = re.compile(r"^\d{10}$")


@transaction.atomic
def level_request_file(
    *, resident: Resident, to_level: str, document_number: str, document_kind: str = "passport"
) -> LevelRequest:
    level = AccountLevel(to_level)
    if AccountLevel.rank(level) <= AccountLevel.rank(resident.level):
        raise errors.LevelNotHigher(field="to_level")
    number = re.sub(r"[\s-]", "", document_number)
    if not PASSPORT.match(number):
        raise errors.DocumentNumberInvalid(field="document_number")
    try:
        with transaction.atomic():
            request = LevelRequest.objects.create(
                resident=resident, to_level=level, document_kind=document_kind, document_number=number
            )
    except IntegrityError:
        raise errors.LevelRequestPending() from None
    audit_record(actor=resident, action="resident.level_request_file", target=request, after={"to": level})
    return request


@transaction.atomic
def level_request_decide(
    *, request_id: int, actor: Resident, approve: bool, reason: str, document_checked: bool
) -> LevelRequest:
    """Approve (the level changes now; only after the operator says they compared the original
    document) or reject (with a reason the resident sees)."""
    if not permissions.may_change_level(actor):
        raise PermissionDenied()
    request = (
        LevelRequest.objects.select_for_update().select_related("resident").filter(pk=request_id).first()
    )
    if request is None:
        raise errors.LevelRequestNotFound()
    if request.status != LevelRequestStatus.PENDING:
        raise errors.LevelRequestDecided()
    if request.resident_id == actor.pk:
        raise errors.OwnLevelRequest()
    reason = reason.strip()[:255]
    if approve and not document_checked:
        raise errors.DocumentNotChecked(field="checked")
    if not approve and not reason:
        raise errors.RejectReasonRequired(field="reason")
    if approve:
        request.change = resident_level_change(
            resident=request.resident,
            level=request.to_level,
            actor=actor,
            reason=f"level request {request.pk}: {request.document_kind} checked"
            + (f"; {reason}" if reason else ""),
        )
    request.status = LevelRequestStatus.APPROVED if approve else LevelRequestStatus.REJECTED
    request.checked_by, request.checked_at, request.reason = actor, timezone.now(), reason
    # Once checked, the full number is no longer needed: keep its last four digits to say which.
    request.document_number = "******" + request.document_number[-4:]
    fields = ["status", "checked_by", "checked_at", "reason", "change", "document_number"]
    request.save(update_fields=fields)
    audit_record(
        actor=actor,
        action="resident.level_request_decide",
        target=request,
        after={"status": request.status, "to": request.to_level, "resident": request.resident_id},
        reason=reason,
    )
    return request
