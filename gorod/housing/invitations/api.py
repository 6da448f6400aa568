"""/api/v1/home/...: invitation links a resident gives a neighbour, and accepting one."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import Field

from gorod.accounts.edge import resident_of
from gorod.core.site import site_url
from gorod.housing.board import selectors as selectors_board
from gorod.housing.buildings.api import LinkOut, link_out
from gorod.housing.invitations import rules as invitations_rules
from gorod.housing.invitations import selectors as invitations_selectors
from gorod.housing.invitations import services as services_invitations
from gorod.housing.models import Invitation

router = Router(tags=["home"])


class InvitationIn(Schema):
    building_id: int


class InvitationOut(Schema):
    id: int
    building_id: int
    building: str
    token: str
    url: str
    expires_at: dt.datetime
    status: str = Field(description="active, used or expired")


class InvitationLookupOut(Schema):
    building_id: int
    building: str
    inviter: str
    expires_at: dt.datetime


class InvitationAcceptIn(Schema):
    token: str = Field(max_length=200)
    premise_number: str = Field(max_length=20)
    role: str = Field(pattern="^(owner|tenant)$")
    document_number: str = Field("", max_length=80)


def _invitation_out(request: HttpRequest, invitation: Invitation) -> InvitationOut:
    token = invitations_rules.invitation_token(invitation)
    if invitation.invitee_id is not None:
        status = "used"
    elif invitation.expires_at <= timezone.now():
        status = "expired"
    else:
        status = "active"
    return InvitationOut(
        id=invitation.pk,
        building_id=invitation.building_id,
        building=invitation.building.address,
        token=token,
        url=site_url(reverse("housing:invite", args=[token])),
        expires_at=invitation.expires_at,
        status=status,
    )


@router.post(
    "/invitations",
    operation_id="gorod_housing_api_neighbours_post_invitation",
    response={201: InvitationOut},
    summary="Make a single-use invitation link for a neighbour (residents of the building only)",
)
def post_invitation(request: HttpRequest, body: InvitationIn) -> Status[InvitationOut]:
    building = selectors_board.board_building(resident_of(request), body.building_id)
    invitation = services_invitations.invitation_create(building=building, inviter=resident_of(request))
    return Status(201, _invitation_out(request, invitation))


@router.get(
    "/invitations",
    operation_id="gorod_housing_api_neighbours_get_invitations",
    response=list[InvitationOut],
    summary="My invitation links, newest first",
)
def get_invitations(request: HttpRequest) -> list[InvitationOut]:
    mine = Invitation.objects.filter(inviter_id=resident_of(request).pk).select_related("building")
    return [_invitation_out(request, i) for i in mine.order_by("-created_at")[:50]]


@router.get(
    "/invitations/lookup",
    operation_id="gorod_housing_api_neighbours_get_invitation_lookup",
    response=InvitationLookupOut,
    summary="What an invitation link offers; refused with invitation_invalid, _expired, _used or _own",
)
def get_invitation_lookup(request: HttpRequest, token: str) -> InvitationLookupOut:
    invitation = invitations_selectors.invitation_by_token(token)
    invitations_rules.invitation_check(invitation, resident_of(request), timezone.now())
    return InvitationLookupOut(
        building_id=invitation.building_id,
        building=invitation.building.address,
        inviter=invitation.inviter.public_name,
        expires_at=invitation.expires_at,
    )


@router.post(
    "/invitations/accept",
    operation_id="gorod_housing_api_neighbours_post_invitation_accept",
    response={201: LinkOut},
    summary="Redeem an invitation: ask to be linked to a premise of its building",
)
def post_invitation_accept(request: HttpRequest, body: InvitationAcceptIn) -> Status[LinkOut]:
    link = services_invitations.invitation_accept(
        token=body.token,
        resident=resident_of(request),
        premise_number=body.premise_number,
        role=body.role,
        document_number=body.document_number,
    )
    return Status(201, link_out(link))
