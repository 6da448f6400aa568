"""Who may do what in Mission City, in one place."""

from __future__ import annotations

from typing import Any

from gorod.accounts import roles
from gorod.accounts.permissions import has_role, is_operator
from gorod.missions.models import Challenge, ProofMethod


def may_manage_challenges(user: Any) -> bool:
    return is_operator(user)


def may_record_evidence(user: Any, source: str, challenge: Challenge) -> bool:
    """Operators enter and confirm; partner staff import files and confirm codes, but only for
    the challenges they are named on (their partner's), never another partner's."""
    if is_operator(user):
        return True
    if source == ProofMethod.OPERATOR or not has_role(user, roles.PARTNER_STAFF):
        return False
    return challenge.confirmers.filter(pk=user.pk).exists()


def may_open_partner_desk(user: Any) -> bool:
    """The confirmation and import pages; each challenge is still checked on every write."""
    return is_operator(user) or has_role(user, roles.PARTNER_STAFF)
