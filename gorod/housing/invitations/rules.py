"""Pure rules of invitation links: how a link is signed and when it no longer admits."""

from __future__ import annotations

import datetime as dt

from django.core import signing

from gorod.accounts.models import Resident
from gorod.housing import errors
from gorod.housing.models import Invitation

SALT = "gorod.housing.invitation"


def invitation_token(invitation: Invitation) -> str:
    return signing.Signer(salt=SALT).sign(invitation.nonce)


def invitation_check(invitation: Invitation, resident: Resident | None, now: dt.datetime) -> None:
    """Refuse a used, expired or own invitation (in this order: a used link stays 'used')."""
    if invitation.invitee_id is not None:
        raise errors.InvitationUsed()
    if invitation.expires_at <= now:
        raise errors.InvitationExpired()
    if resident is not None and resident.pk == invitation.inviter_id:
        raise errors.InvitationOwn()
