from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from gorod.accounts.auth import public_or_signed_in
from gorod.accounts.edge import resident_of
from gorod.accounts.models import Resident
from gorod.core.api_fields import NON_BLANK, OptionalId, OptionalLatitude, OptionalLongitude
from gorod.core.privacy_text import mask_contacts
from gorod.ideas import permissions, selectors, services
from gorod.ideas.errors import NotExpert
from gorod.ideas.models import Idea, Project

API_PREFIX = "/ideas"
router = Router(tags=["ideas"])


class ProjectOut(Schema):
    id: int
    title: str
    topic: str
    description: str
    stage: str
    district_ids: list[int]
    idea_count: int


class IdeaOut(Schema):
    id: int
    project_id: int
    title: str
    text: str
    status: str
    support_count: int
    merged_into_id: int | None
    decision_reason: str
    city_decision_id: int | None
    created_at: dt.datetime


class IdeaIn(Schema):
    title: str = Field(..., max_length=200, pattern=NON_BLANK)
    text: str = Field(..., max_length=4000, pattern=NON_BLANK)


class IdeaCommentIn(Schema):
    text: str = Field(..., min_length=1, max_length=2000, pattern=NON_BLANK)


class IdeaDecisionIn(Schema):
    outcome: str = Field(..., pattern="^(accepted|merged|declined)$")
    reason: str = Field(..., min_length=1, max_length=2000)
    merged_into_id: int | None = Field(None, ge=1, le=2**62)
    make_decision: bool = False


class IdeaPageQuery(Schema):
    page: int = Field(1, ge=1, le=10_000)


class IdeaPage(Schema):
    items: list[IdeaOut]
    page: int
    pages: int


class SupportOut(Schema):
    idea_id: int
    support_count: int


def _project(p: Project) -> ProjectOut:
    return ProjectOut(
        id=p.pk,
        title=p.title,
        topic=p.topic,
        description=p.description,
        stage=p.stage,
        district_ids=[d.pk for d in p.districts.all()],
        idea_count=getattr(p, "idea_count", 0),
    )


def _idea(i: Idea, viewer: Any) -> IdeaOut:
    # Readers get the text without contacts; its author and the experts get it as written.
    original = bool(getattr(viewer, "is_authenticated", False)) and (
        i.author_id == viewer.pk or permissions.is_expert(viewer)
    )
    return IdeaOut(
        id=i.pk,
        project_id=i.project_id,
        title=i.title if original else mask_contacts(i.title),
        text=i.text if original else mask_contacts(i.text),
        status=i.status,
        support_count=getattr(i, "support_count", 0),
        merged_into_id=i.merged_into_id,
        decision_reason=i.decision_reason,
        city_decision_id=i.city_decision_id,
        created_at=i.created_at,
    )


@router.get("/projects", response=list[ProjectOut], auth=None, summary="Crowdsourcing projects")
def list_projects(request: HttpRequest, stage: str = "") -> list[ProjectOut]:
    return [_project(p) for p in selectors.projects(stage=stage[:12])[:100]]


@router.get(
    "/projects/{project_id}/ideas",
    response=IdeaPage,
    auth=None,
    summary="A project's ideas, most supported first",
)
def list_ideas(request: HttpRequest, project_id: int, query: Query[IdeaPageQuery]) -> IdeaPage:
    page = selectors.ideas_page(selectors.project_get(project_id), None, page=query.page)
    return IdeaPage(
        items=[_idea(i, request.user) for i in page], page=page.number, pages=page.paginator.num_pages
    )


@router.post("/projects/{project_id}/ideas", response={201: IdeaOut}, summary="Suggest an idea (moderated)")
def post_idea(request: HttpRequest, project_id: int, body: IdeaIn) -> Status[IdeaOut]:
    resident: Resident = resident_of(request)
    idea = services.idea_submit(project=selectors.project_get(project_id), author=resident, **body.dict())
    return Status(201, _idea(selectors.idea_get(idea.pk, resident), resident))


class IdeaModerationIn(Schema):
    approve: bool
    reason: str = Field("", max_length=255)


class QueueEntryOut(Schema):
    idea: IdeaOut
    project_title: str


@router.get("/moderation", response=list[QueueEntryOut], summary="Moderators: ideas awaiting moderation")
def get_moderation_queue(request: HttpRequest) -> list[QueueEntryOut]:
    resident = resident_of(request)
    if not permissions.may_moderate(resident):
        raise NotExpert()
    return [
        QueueEntryOut(idea=_idea(i, resident), project_title=i.project.title)
        for i in selectors.moderation_queue()[:50]
    ]


@router.post(
    "/{idea_id}/moderation",
    response=IdeaOut,
    summary="Moderators: publish or reject an idea awaiting moderation (a rejection needs a reason)",
)
def post_moderation(request: HttpRequest, idea_id: int, body: IdeaModerationIn) -> IdeaOut:
    resident = resident_of(request)
    services.idea_moderate(
        idea_id=selectors.idea_get(idea_id, resident).pk,
        moderator=resident,
        approve=body.approve,
        reason=body.reason,
    )
    return _idea(selectors.idea_get(idea_id, resident), resident)


@router.post(
    "/projects/{project_id}/advance",
    response=ProjectOut,
    summary="Experts: move a project to its next stage (collecting, expert review, results; never back)",
)
def post_advance(request: HttpRequest, project_id: int) -> ProjectOut:
    services.project_stage_advance(
        project_id=selectors.project_get(project_id).pk, actor=resident_of(request)
    )
    return _project(selectors.project_get(project_id))


# Its author and the experts read an idea awaiting moderation: the token is recognised here.
@router.get("/{idea_id}", response=IdeaOut, auth=public_or_signed_in, summary="One idea")
def get_idea(request: HttpRequest, idea_id: int) -> IdeaOut:
    return _idea(selectors.idea_get(idea_id, request.user), request.user)


@router.post("/{idea_id}/support", response={201: SupportOut}, summary="Support an idea (once)")
def post_support(request: HttpRequest, idea_id: int) -> Status[SupportOut]:
    resident: Resident = resident_of(request)
    idea = selectors.idea_get(idea_id, resident)
    services.idea_support(idea_id=idea.pk, resident=resident)
    supported = selectors.idea_get(idea_id, resident)
    return Status(201, SupportOut(idea_id=idea.pk, support_count=supported.support_count))  # type: ignore[attr-defined]


@router.post("/{idea_id}/comments", response={201: dict}, summary="Comment on an idea")
def post_comment(request: HttpRequest, idea_id: int, body: IdeaCommentIn) -> Status[dict]:
    resident: Resident = resident_of(request)
    comment = services.comment_add(
        idea_id=selectors.idea_get(idea_id, resident).pk, author=resident, text=body.text
    )
    return Status(201, {"id": comment.pk})


class BudgetProjectFromIdeaIn(Schema):
    round_id: int = Field(ge=1, le=2**62)
    cost_roubles: int = Field(ge=1, le=10**15)
    # The project's place (optional): an address of the city's register (its id, as GET
    # /api/v1/problems/addresses returns), or both coordinates of a point.
    address_id: OptionalId = Field(None, ge=1, le=2**62)
    latitude: OptionalLatitude = Field(None, ge=-90, le=90)
    longitude: OptionalLongitude = Field(None, ge=-180, le=180)


class BudgetProjectFromIdeaOut(Schema):
    project_id: int
    round_id: int
    idea_id: int
    cost_roubles: int


@router.post(
    "/{idea_id}/budget-project",
    response={201: BudgetProjectFromIdeaOut},
    summary="Operators: carry an accepted idea into a participatory budget round as a project",
)
def post_budget_project(
    request: HttpRequest, idea_id: int, body: BudgetProjectFromIdeaIn
) -> Status[BudgetProjectFromIdeaOut]:
    project = services.idea_to_budget(
        idea_id=idea_id,
        round_id=body.round_id,
        cost_roubles=body.cost_roubles,
        actor=resident_of(request),
        address_id=body.address_id,
        latitude=body.latitude,
        longitude=body.longitude,
    )
    return Status(
        201,
        BudgetProjectFromIdeaOut(
            project_id=project.pk,
            round_id=project.round_id,
            idea_id=idea_id,
            cost_roubles=project.cost_roubles,
        ),
    )


@router.post("/{idea_id}/decision", response=IdeaOut, summary="Experts: accept, merge or decline")
def post_decision(request: HttpRequest, idea_id: int, body: IdeaDecisionIn) -> IdeaOut:
    resident: Resident = resident_of(request)
    services.idea_decide(
        idea_id=selectors.idea_get(idea_id, resident).pk,
        expert=resident,
        outcome=body.outcome,
        reason=body.reason,
        merged_into_id=body.merged_into_id,
        make_decision=body.make_decision,
    )
    return _idea(selectors.idea_get(idea_id, resident), resident)
