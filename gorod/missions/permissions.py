"""Who may do what in Mission City, in one place."""

from __future__ import annotations

from typing import Any

from gorod.accounts import roles
from gorod.accounts.permissions import has_role, is_operator
from gorod.missions.models import ProofMethod


def may_manage_challenges(user: Any) -> bool:
    return is_operator(user)


def may_record_evidence(user: Any, source: str) -> bool:
    """Operators enter and confirm; partner staff import files and confirm codes."""
    if source == ProofMethod.OPERATOR:
        return is_operator(user)
    return is_operator(user) or has_role(user, roles.PARTNER_STAFF)
