"""Who may do what in Our City: small predicates, the one place for object-level checks."""

from __future__ import annotations

from typing import Any

from gorod.accounts import permissions as account_permissions
from gorod.accounts import roles
from gorod.problems import rules
from gorod.problems.models import Follower, OrganisationResponder, Report


def is_public(report: Report) -> bool:
    """Accepted reports are public (without personal data); others only to their author/staff."""
    return report.status in rules.PUBLIC_STATUSES


def organisation_ids_of(user: Any) -> list[int]:
    if not account_permissions.has_role(user, roles.ORGANISATION_RESPONDER):
        return []
    return list(
        OrganisationResponder.objects.filter(resident_id=user.pk).values_list("organisation_id", flat=True)
    )


def responds_for(user: Any, organisation_id: int | None) -> bool:
    return organisation_id is not None and organisation_id in organisation_ids_of(user)


def may_view(user: Any, report: Report) -> bool:
    if is_public(report):
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    return report.author_id == user.pk or account_permissions.is_moderator(user)


def may_rate_as_neighbour(user: Any, report: Report) -> bool:
    if not getattr(user, "is_authenticated", False) or report.author_id == user.pk:
        return False
    if user.home_district_id is not None and user.home_district_id == report.district_id:
        return True
    return Follower.objects.filter(report=report, resident_id=user.pk).exists()


def may_moderate(user: Any) -> bool:
    return account_permissions.is_moderator(user)


def may_reroute(user: Any) -> bool:
    return account_permissions.is_operator(user)
