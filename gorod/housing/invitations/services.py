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

from django.core import signing
from django.db import transaction
from django.utils import timezone

from gorod.accounts.models import Resident
from gorod.housing import errors, permissions
from gorod.housing.buildings.services import link_request
from gorod.housing.models import Building, Invitation, LinkStatus, Premise, PremiseLink

INVITATION_DAYS = 14
SALT = "gorod.housing.invitation"


def invitation_token(invitation: Invitation) -> str:
    return signing.Signer(salt=SALT).sign(invitation.nonce)


def invitation_by_token(token: str, *, for_update: bool = False) -> Invitation:
    """The invitation a link names, or ``invitation_invalid`` for an altered, truncated or
    foreign link (signed by another key or for another purpose)."""
    try:
        nonce = signing.Signer(salt=SALT).unsign((token or "").strip())
    except signing.BadSignature:
        raise errors.InvitationInvalid(field="token") from None
    invitations = Invitation.objects.select_related("building", "inviter")
    if for_update:
        invitations = invitations.select_for_update(of=("self",))
    invitation = invitations.filter(nonce=nonce).first()
    if invitation is None:
        raise errors.InvitationInvalid(field="token")
    return invitation


def invitation_check(invitation: Invitation, resident: Resident | None, now: dt.datetime) -> None:
    """Refuse a used, expired or own invitation (in this order: a used link stays 'used')."""
    if invitation.invitee_id is not None:
        raise errors.InvitationUsed()
    if invitation.expires_at <= now:
        raise errors.InvitationExpired()
    if resident is not None and resident.pk == invitation.inviter_id:
        raise errors.InvitationOwn()


@transaction.atomic
def invitation_create(*, building: Building, inviter: Resident, now: dt.datetime | None = None) -> Invitation:
    if not permissions.resident_of(inviter, building):
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
