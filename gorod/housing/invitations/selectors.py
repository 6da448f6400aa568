"""Reads of invitations: the invitation a signed link names."""

from __future__ import annotations

from django.core import signing

from gorod.housing import errors
from gorod.housing.invitations.rules import SALT
from gorod.housing.models import Invitation


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
