"""/api/v1/budgets: participatory budgeting (mounted by gorod/voting/api.py).

Reading is public. The ballot is the round's poll's: ``POST /api/v1/polls/{poll_id}/ballot``
with the chosen projects' option ids; the budget rule refuses with ``over_budget``,
``too_few_projects`` or ``wrong_project_count``. Operators run a round through these writes.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from gorod.accounts.auth import public_or_signed_in
from gorod.accounts.edge import resident_of
from gorod.accounts.errors import UnknownDistrict
from gorod.accounts.models import District, Resident
from gorod.core.errors import PermissionDenied
from gorod.voting import permissions
from gorod.voting.budgets import selectors, services
from gorod.voting.budgets.models import BudgetProject, BudgetRound

router = Router(tags=["active citizen"])


class BudgetProjectOut(Schema):
    id: int
    title: str
    description: str
    cost_roubles: int
    district: str | None
    location: dict | None
    review: str
    review_reason: str
    option_id: int | None
    decision_id: int | None


class BudgetFundingLineOut(Schema):
    project_id: int
    votes: int
    cost_roubles: int
    funded: bool
    remaining_roubles: int


class BudgetFundingOut(Schema):
    method: str
    budget_roubles: int
    ballots: int
    lines: list[BudgetFundingLineOut]


class BudgetRoundOut(Schema):
    id: int
    title: str
    description: str
    district: str | None
    budget_roubles: int
    rule: str
    rule_count: int
    min_level: str
    phase: str
    voting_opens_at: dt.datetime
    voting_closes_at: dt.datetime
    poll_id: int | None


class BudgetRoundDetailOut(BudgetRoundOut):
    projects: list[BudgetProjectOut]
    funding: BudgetFundingOut | None


class BudgetRoundIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=5000)
    budget_roubles: int = Field(ge=1, le=10**15)
    rule: str = Field("within_budget", pattern="^(within_budget|min_projects|fixed_count)$")
    rule_count: int = Field(0, ge=0, le=1000)
    district_id: int | None = None
    min_level: str = Field("simplified", pattern="^(simplified|standard|full)$")
    voting_opens_at: dt.datetime
    voting_closes_at: dt.datetime


class BudgetProjectIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=5000)
    cost_roubles: int = Field(ge=1, le=10**15)
    district_id: int | None = None


class BudgetReviewIn(Schema):
    feasible: bool
    reason: str = Field("", max_length=2000)


def _round_out(r: BudgetRound) -> dict:
    return {
        "id": r.pk,
        "title": r.title,
        "description": r.description,
        "district": r.district.name if r.district else None,
        "budget_roubles": r.budget_roubles,
        "rule": r.rule,
        "rule_count": r.rule_count,
        "min_level": r.min_level,
        "phase": r.phase,
        "voting_opens_at": r.voting_opens_at,
        "voting_closes_at": r.voting_closes_at,
        "poll_id": r.poll_id,
    }


def _project_out(p: BudgetProject) -> BudgetProjectOut:
    return BudgetProjectOut(
        id=p.pk,
        title=p.title,
        description=p.description,
        cost_roubles=p.cost_roubles,
        district=p.district.name if p.district else None,
        location=p.location,
        review=p.review,
        review_reason=p.review_reason,
        option_id=p.option_id,
        decision_id=p.decision_id,
    )


def _detail(r: BudgetRound) -> BudgetRoundDetailOut:
    return BudgetRoundDetailOut(
        **_round_out(r),
        projects=[_project_out(p) for p in selectors.projects_of(r)],
        funding=BudgetFundingOut(**r.funding) if r.funding else None,
    )


def _district(district_id: int | None) -> District | None:
    if district_id is None:
        return None
    found = District.objects.filter(pk=district_id).first()
    if found is None:
        raise UnknownDistrict(field="district_id")
    return found


def _operator(request: HttpRequest) -> Resident:
    """Writes are the operators': anyone else is refused before the body is looked at."""
    actor = resident_of(request)
    if not permissions.may_manage_polls(actor):
        raise PermissionDenied()
    return actor


@router.get(
    "/budgets",
    response=list[BudgetRoundOut],
    auth=None,
    summary="Participatory budget rounds",
    operation_id="gorod_voting_api_budgets_list_rounds",
)
def list_rounds(request: HttpRequest) -> list[dict]:
    return [_round_out(r) for r in selectors.rounds_public()[:100]]


@router.get(
    "/budgets/{round_id}",
    response=BudgetRoundDetailOut,
    auth=public_or_signed_in,
    summary="A budget round with its projects, the experts' conclusions and, once published, the funding",
    operation_id="gorod_voting_api_budgets_get_round",
)
def get_round(request: HttpRequest, round_id: int) -> BudgetRoundDetailOut:
    return _detail(selectors.round_get(round_id))


@router.post(
    "/budgets",
    response={201: BudgetRoundDetailOut},
    summary="Create a budget round (operators)",
    operation_id="gorod_voting_api_budgets_create_round",
)
def create_round(request: HttpRequest, body: BudgetRoundIn) -> Status[BudgetRoundDetailOut]:
    actor = _operator(request)
    created = services.round_create(
        actor=actor,
        title=body.title,
        description=body.description,
        budget_roubles=body.budget_roubles,
        rule=body.rule,
        rule_count=body.rule_count,
        district=_district(body.district_id),
        min_level=body.min_level,
        voting_opens_at=body.voting_opens_at,
        voting_closes_at=body.voting_closes_at,
    )
    return Status(201, _detail(selectors.round_get(created.pk)))


@router.post(
    "/budgets/{round_id}/projects",
    response={201: BudgetProjectOut},
    summary="Add a project to a round in its proposals phase (operators)",
    operation_id="gorod_voting_api_budgets_add_project",
)
def add_project(request: HttpRequest, round_id: int, body: BudgetProjectIn) -> Status[BudgetProjectOut]:
    actor = _operator(request)
    project = services.project_add(
        round_id=round_id,
        actor=actor,
        title=body.title,
        description=body.description,
        cost_roubles=body.cost_roubles,
        district=_district(body.district_id),
    )
    return Status(201, _project_out(project))


@router.post(
    "/budgets/projects/{project_id}/review",
    response=BudgetProjectOut,
    summary="The experts' conclusion on a project (operators); a rejection needs its reason",
    operation_id="gorod_voting_api_budgets_review_project",
)
def review_project(request: HttpRequest, project_id: int, body: BudgetReviewIn) -> BudgetProjectOut:
    project = services.project_review(
        project_id=project_id,
        actor=resident_of(request),
        feasible=body.feasible,
        reason=body.reason,
    )
    return _project_out(project)


@router.post(
    "/budgets/{round_id}/advance",
    response=BudgetRoundDetailOut,
    summary="Move a round to its next phase (operators; final: voting opens the poll, results fund projects)",
    operation_id="gorod_voting_api_budgets_advance_round",
)
def advance_round(request: HttpRequest, round_id: int) -> BudgetRoundDetailOut:
    services.round_advance(round_id=round_id, actor=resident_of(request))
    return _detail(selectors.round_get(round_id))
