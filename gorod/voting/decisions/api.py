"""/api/v1/decisions/{id}/progress: how far a decision taken by a vote has got, in per cent, and
the history of its changes (issue 22, "guaranteed implementation"). Anyone reads it; operators
change it, as in the console, through the same service. Who made a change is shown to operators
only: the public sees what was done and when."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from gorod.accounts.auth import public_or_signed_in
from gorod.accounts.edge import resident_of
from gorod.core.errors import PermissionDenied
from gorod.core.time import city_today
from gorod.voting import errors, permissions
from gorod.voting.decisions import rules as decision_rules
from gorod.voting.decisions import selectors as decisions_selectors
from gorod.voting.decisions import services as decisions_services
from gorod.voting.models import Decision

router = Router()


class ProgressIn(Schema):
    percent: int = Field(ge=0, le=100, description="How far the work has got, in whole per cent")
    note: str = Field("", max_length=255, description="What was done (shown with the history)")


class ProgressChangeOut(Schema):
    percent: int
    note: str
    changed_at: dt.datetime
    changed_by: str | None = Field(description="The operator who changed it; null unless you are one")


class DecisionProgressOut(Schema):
    id: int
    title: str
    status: str
    planned_on: dt.date | None
    done_on: dt.date | None
    late: bool
    progress_percent: int
    history: list[ProgressChangeOut]


def _out(request: HttpRequest, decision_id: int) -> DecisionProgressOut:
    decision = Decision.objects.filter(pk=decision_id).first()
    if decision is None:
        raise errors.DecisionNotFound()
    staff = permissions.may_manage_polls(request.user)
    return DecisionProgressOut(
        id=decision.pk,
        title=decision.title,
        status=decision.status,
        planned_on=decision.planned_on,
        done_on=decision.done_on,
        late=decision_rules.is_late(decision.status, decision.planned_on, decision.done_on, city_today()),
        progress_percent=decision.progress_percent,
        history=[
            ProgressChangeOut(
                percent=change.percent,
                note=change.note,
                changed_at=change.changed_at,
                changed_by=(change.changed_by.get_full_name() or change.changed_by.username)
                if staff
                else None,
            )
            for change in decisions_selectors.progress_history(decision.pk)
        ],
    )


@router.get(
    "/decisions/{decision_id}/progress",
    response=DecisionProgressOut,
    auth=public_or_signed_in,
    summary="A decision's progress (per cent) and the history of its changes",
)
def get_progress(request: HttpRequest, decision_id: int) -> DecisionProgressOut:
    return _out(request, decision_id)


@router.post(
    "/decisions/{decision_id}/progress",
    response=DecisionProgressOut,
    summary="Operators: set how far a decision has got (a planned one goes in work); done or "
    "cancelled ones answer 409",
)
def post_progress(request: HttpRequest, decision_id: int, body: ProgressIn) -> DecisionProgressOut:
    me = resident_of(request)
    if not permissions.may_manage_polls(me):
        raise PermissionDenied()
    decisions_services.decision_progress_set(
        decision_id=decision_id, percent=body.percent, actor=me, note=body.note
    )
    return _out(request, decision_id)
