"""Demo seed of invitations: one open invitation link from a demo resident."""

from __future__ import annotations

from django.db import transaction

from gorod.accounts.models import Resident
from gorod.housing.invitations import services as services_invitations
from gorod.housing.models import Building, Invitation


@transaction.atomic
def seed_invitation(building: Building, inviter: Resident) -> None:
    """An open invitation link of anna's (shown on her invitations page)."""
    if Invitation.objects.filter(building=building, inviter=inviter).exists():
        return
    services_invitations.invitation_create(building=building, inviter=inviter)
