"""Who may do what in Electronic Home: the one place for object-level checks."""

from __future__ import annotations

from typing import Any

from gorod.accounts import roles
from gorod.accounts.models import Resident
from gorod.accounts.permissions import has_role, is_operator
from gorod.housing import errors, permissions
from gorod.housing.models import (
    Building,
    BuildingAdministrator,
    LinkStatus,
    PremiseLink,
)


def administers(user: Any, building: Building | int) -> bool:
    """An operator anywhere; a building administrator only in buildings assigned to them."""
    if not getattr(user, "is_authenticated", False):
        return False
    if is_operator(user):
        return True
    building_id = building if isinstance(building, int) else building.pk
    return (
        has_role(user, roles.BUILDING_ADMINISTRATOR)
        and BuildingAdministrator.objects.filter(building_id=building_id, resident_id=user.pk).exists()
    )


def is_building_staff(user: Any) -> bool:
    return is_operator(user) or has_role(user, roles.BUILDING_ADMINISTRATOR)


def linked_to_premise(user: Any, premise_id: int) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return PremiseLink.objects.filter(
        resident_id=user.pk, premise_id=premise_id, status=LinkStatus.CONFIRMED
    ).exists()


def lives_in(user: Any, building: Building | int) -> bool:
    """A resident verified for a premise of the building (a confirmed link)."""
    if not getattr(user, "is_authenticated", False):
        return False
    building_id = building if isinstance(building, int) else building.pk
    return PremiseLink.objects.filter(
        resident_id=user.pk, premise__building_id=building_id, status=LinkStatus.CONFIRMED
    ).exists()


def require_admin(actor: Resident, building: Building | int) -> None:
    if not permissions.administers(actor, building):
        raise errors.NotYourBuilding()


def require_operator(actor: Resident) -> None:
    if not is_operator(actor):
        raise errors.NotYourBuilding()


def check_may_administer(resident: Resident) -> None:
    if not has_role(resident, roles.BUILDING_ADMINISTRATOR):
        raise errors.NotABuildingAdministrator(field="resident")
