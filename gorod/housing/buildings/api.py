"""/api/v1/home/links: a resident's links to premises. ``LinkOut`` is the one shape of a link,
asked for here or got by invitation (invitations/api.py)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from gorod.accounts.edge import resident_of
from gorod.housing.buildings import selectors as buildings_selectors
from gorod.housing.buildings import services as services_buildings
from gorod.housing.models import Premise, PremiseLink

# No tags of its own: it takes "home" from the app router it is mounted on (tags accumulate).
router = Router()


class LinkOut(Schema):
    id: int
    premise_id: int
    building: str
    premise: str
    role: str
    status: str


def link_out(link: PremiseLink) -> LinkOut:
    return LinkOut(
        id=link.pk,
        premise_id=link.premise_id,
        building=link.premise.building.address,
        premise=link.premise.number,
        role=link.role,
        status=link.status,
    )


class LinkIn(Schema):
    premise_id: int
    role: str = Field(pattern="^(owner|tenant)$")
    document_number: str = Field("", max_length=80)


@router.get(
    "/links",
    operation_id="gorod_housing_api_get_links",
    response=list[LinkOut],
    summary="My premises and link requests",
)
def get_links(request: HttpRequest) -> list[LinkOut]:
    return [link_out(link) for link in buildings_selectors.my_links(resident_of(request))[:50]]


@router.post(
    "/links",
    operation_id="gorod_housing_api_post_link",
    response={201: LinkOut},
    summary="Ask to be linked to a premise",
)
def post_link(request: HttpRequest, body: LinkIn) -> Status[LinkOut]:
    premise = Premise.objects.select_related("building").filter(pk=body.premise_id).first()
    if premise is None:
        from gorod.housing.errors import PremiseNotFound

        raise PremiseNotFound()
    link = services_buildings.link_request(
        resident=resident_of(request), premise=premise, role=body.role, document_number=body.document_number
    )
    return Status(201, link_out(link))
