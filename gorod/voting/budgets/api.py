"""/api/v1/budgets: participatory budgeting (mounted by gorod/voting/api.py).

Reading is public. The ballot is the round's poll's: ``POST /api/v1/polls/{poll_id}/ballot``
with the chosen projects' option ids; the budget rule refuses with ``over_budget``,
``too_few_projects`` or ``wrong_project_count``. Operators run a round through these writes.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.http import HttpRequest
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from gorod.accounts.auth import public_or_signed_in
from gorod.accounts.edge import resident_of
from gorod.accounts.errors import UnknownDistrict
from gorod.accounts.models import District, Resident
from gorod.core.api_fields import OptionalId, OptionalLatitude, OptionalLongitude, files_only
from gorod.core.errors import PermissionDenied
from gorod.voting import permissions
from gorod.voting.budgets import selectors, services
from gorod.voting.budgets.models import BudgetProject, BudgetRound

router = Router(tags=["active citizen"])


class BudgetProjectImageOut(Schema):
    id: int
    url: str
    position: int


class BudgetProjectOut(Schema):
    id: int
    title: str
    description: str
    cost_roubles: int
    district: str | None
    address_id: int | None = Field(description="The address in the city's register, if the place is one.")
    address: str | None
    location: dict | None = Field(description="A GeoJSON point: [longitude, latitude].")
    image: str | None = Field(description="The project's cover image (URL), if it has one.")
    images: list[BudgetProjectImageOut] = Field(
        description="The project's gallery (at most 6 images, in order), beside its cover image."
    )
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
    building_ids: list[int] = Field(description="Buildings the round is for (housing ids); empty: any.")
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
    # Only verified residents of these buildings may vote (as a poll's building targeting).
    building_ids: list[Annotated[int, Field(ge=1, le=2**62)]] = Field(default_factory=list, max_length=1000)


class BudgetProjectIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=5000)
    cost_roubles: int = Field(ge=1, le=10**15)
    district_id: int | None = None
    # The place: an address of the city's register (its id, as GET /api/v1/problems/addresses
    # returns), or a point (both coordinates); optional here, settable later until voting.
    address_id: OptionalId = Field(None, ge=1, le=2**62)
    latitude: OptionalLatitude = Field(None, ge=-90, le=90)
    longitude: OptionalLongitude = Field(None, ge=-180, le=180)


class BudgetPlaceIn(Schema):
    """A project's place: ``address_id`` (the register's coordinates are the point) or both
    coordinates of a point picked on a map. Either, or only the image, may be sent."""

    address_id: OptionalId = Field(None, ge=1, le=2**62)
    latitude: OptionalLatitude = Field(None, ge=-90, le=90)
    longitude: OptionalLongitude = Field(None, ge=-180, le=180)


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
        "building_ids": selectors.building_ids_of(r),
        "poll_id": r.poll_id,
    }


def _project_out(p: BudgetProject) -> BudgetProjectOut:
    return BudgetProjectOut(
        id=p.pk,
        title=p.title,
        description=p.description,
        cost_roubles=p.cost_roubles,
        district=p.district.name if p.district else None,
        address_id=p.address_id,
        address=p.address.text if p.address else None,
        location=p.location,
        image=p.image.url if p.image else None,
        images=[BudgetProjectImageOut(id=i.pk, url=i.image.url, position=i.position) for i in p.images.all()],
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
        building_ids=body.building_ids,
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
        address_id=body.address_id,
        latitude=body.latitude,
        longitude=body.longitude,
    )
    return Status(201, _project_out(project))


@router.post(
    "/budgets/projects/{project_id}/place",
    response=BudgetProjectOut,
    summary="Set a project's place and/or image (operators; multipart; until voting starts)",
    description=(
        "The place is an address of the city's register (address_id) or a point (latitude and "
        "longitude); the image, a JPEG, PNG or WebP file, is checked by its content and stored "
        "without its metadata, replacing the previous one. A refusal writes nothing."
    ),
    operation_id="gorod_voting_api_budgets_set_place",
)
def set_place(
    request: HttpRequest,
    project_id: int,
    payload: Form[BudgetPlaceIn],
    image: File[UploadedFile] = None,  # type: ignore[assignment]
) -> BudgetProjectOut:
    actor = _operator(request)
    files_only(request, "image")
    project = services.project_place_set(
        project_id=project_id,
        actor=actor,
        address_id=payload.address_id,
        latitude=payload.latitude,
        longitude=payload.longitude,
        image=image,
        image_size=image.size if image is not None else None,
    )
    return _project_out(BudgetProject.objects.select_related("district", "address").get(pk=project.pk))


@router.post(
    "/budgets/projects/{project_id}/images",
    response={201: BudgetProjectImageOut},
    summary="Add an image to a project's gallery (operators; multipart; at most 6; until voting starts)",
    description=(
        "One file, image: a JPEG, PNG or WebP file, checked by its content and stored without its "
        "metadata. Refused with project_images_full when the project has 6 already, with "
        "budget_phase_wrong once voting has started. A refusal writes nothing."
    ),
    operation_id="gorod_voting_api_budgets_add_project_image",
)
def add_project_image(
    request: HttpRequest,
    project_id: int,
    image: File[UploadedFile] = None,  # type: ignore[assignment]
) -> Status[BudgetProjectImageOut]:
    actor = _operator(request)
    files_only(request, "image")
    added = services.project_image_add(
        project_id=project_id, actor=actor, image=image, image_size=image.size if image is not None else None
    )
    return Status(201, BudgetProjectImageOut(id=added.pk, url=added.image.url, position=added.position))


@router.delete(
    "/budgets/projects/{project_id}/images/{image_id}",
    response=BudgetProjectOut,
    summary="Remove an image from a project's gallery (operators; until voting starts); the project after",
    operation_id="gorod_voting_api_budgets_remove_project_image",
)
def remove_project_image(request: HttpRequest, project_id: int, image_id: int) -> BudgetProjectOut:
    actor = _operator(request)
    services.project_image_remove(project_id=project_id, image_id=image_id, actor=actor)
    return _project_out(BudgetProject.objects.select_related("district", "address").get(pk=project_id))


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
