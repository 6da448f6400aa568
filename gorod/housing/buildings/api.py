"""A resident's link to a premise as the API shows it: asked for (api) or got by invitation
(api_neighbours), the same shape either way."""

from __future__ import annotations

from ninja import Schema

from gorod.housing.models import PremiseLink


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
