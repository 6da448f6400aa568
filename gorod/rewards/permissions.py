"""Who may do what in the rewards shop: small predicates, used by services and pages."""

from __future__ import annotations

from typing import Any

from gorod.accounts import permissions as account_permissions
from gorod.accounts import roles


def staff_partner_id(user: Any) -> int | None:
    """The partner whose desk this account works at, if any (one partner per staff member)."""
    if not getattr(user, "is_authenticated", False):
        return None
    from gorod.rewards.models import PartnerStaff

    return PartnerStaff.objects.filter(resident_id=user.pk).values_list("partner_id", flat=True).first()


def may_hand_over(*, staff_partner: int | None, order_partner: int) -> bool:
    """Staff see and hand over only their own partner's orders."""
    return staff_partner is not None and staff_partner == order_partner


def is_partner_staff(user: Any) -> bool:
    return account_permissions.has_role(user, roles.PARTNER_STAFF)
