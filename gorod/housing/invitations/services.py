"""Invitations of neighbours by link.

A verified resident creates a link for their building (a random nonce signed with the site's
key, valid for INVITATION_DAYS, single use). The invitee signs up or in through it and asks to
be linked to a premise of that building; when the administrator confirms that link, the inviter
earns ``invite_neighbour`` once per invitee (natural key ``invite:<invitee>``, awarded in
services_buildings.link_confirm).
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction
from django.utils import timezone

from gorod.accounts.models import Resident
from gorod.housing import errors, permissions
from gorod.housing.buildings.services import link_request
from gorod.housing.invitations.rules import invitation_check
from gorod.housing.invitations.selectors import invitation_by_token
from gorod.housing.models import Building, Invitation, LinkStatus, Premise, PremiseLink

INVITATION_DAYS = 14


@transaction.atomic
def invitation_create(*, building: Building, inviter: Resident, now: dt.datetime | None = None) -> Invitation:
    if not permissions.lives_in(inviter, building):
        raise errors.NotBuildingResident()
    now = now or timezone.now()
    return Invitation.objects.create(
        building=building,
        inviter=inviter,
        nonce=secrets.token_urlsafe(18),
        created_at=now,
        expires_at=now + dt.timedelta(days=INVITATION_DAYS),
    )


@transaction.atomic
def invitation_accept(
    *,
    token: str,
    resident: Resident,
    premise_number: str,
    role: str,
    document_number: str = "",
    now: dt.datetime | None = None,
) -> PremiseLink:
    """Redeem the link: ask to be linked to a premise of the invitation's building. The
    invitation is used up under its row lock, so two people cannot both redeem one link."""
    now = now or timezone.now()
    invitation = invitation_by_token(token, for_update=True)
    invitation_check(invitation, resident, now)
    number = premise_number.strip()
    premise = None
    if "\x00" not in number:  # PostgreSQL cannot compare it: no such premise
        premise = Premise.objects.filter(building_id=invitation.building_id, number=number).first()
    if premise is None:
        raise errors.PremiseNotFound(field="number")
    if PremiseLink.objects.filter(
        resident=resident,
        premise__building_id=invitation.building_id,
        status__in=[LinkStatus.PENDING, LinkStatus.CONFIRMED],
    ).exists():
        raise errors.InvitationAlreadyResident()
    link = link_request(resident=resident, premise=premise, role=role, document_number=document_number)
    updated = Invitation.objects.filter(pk=invitation.pk, invitee__isnull=True).update(
        invitee=resident, accepted_at=now, link=link
    )
    if not updated:
        raise errors.InvitationUsed()
    return link
