"""The cast of a permission matrix (DESIGN.md section 7, issue 9): every role once, staff of two
tenants each (partner, building, organisation), so each app's matrix can ask "and the staff of
the *other* one?". Lives at the top level because it binds roles to objects of several apps,
which no app's own tests may import (import-linter layers)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.apps import apps
from django.test import Client

from gorod.accounts import roles
from gorod.accounts.models import District, Resident
from gorod.accounts.services import role_permissions_sync
from gorod.accounts.tests.factories import DistrictFactory, ResidentFactory
from gorod.housing.models import Building
from gorod.housing.tests.factories import AdministratorFactory, BuildingFactory
from gorod.problems.models import Organisation
from gorod.problems.tests.factories import OrganisationFactory, responder_of
from gorod.rewards.models import Partner
from gorod.rewards.services_catalogue import partner_staff_assign
from gorod.rewards.tests.factories import make_partner

ROLES = (
    "anonymous",
    "resident",
    "other_resident",
    "operator",
    "moderator",
    "partner_a",
    "partner_b",
    "building_admin_a",
    "building_admin_b",
    "responder_a",
    "responder_b",
    "admin",
)
STAFF = frozenset(ROLES) - {"anonymous", "resident", "other_resident"}
# Staff who are no city staff: their roles are scoped to one partner, building or organisation.
TENANT_STAFF = frozenset(
    {"partner_a", "partner_b", "building_admin_a", "building_admin_b", "responder_a", "responder_b"}
)
# Rows a request may legitimately write whoever makes it (sessions, throttling, request logs).
NOT_BUSINESS = frozenset({"axes", "sessions", "admin", "django_tasks_db", "contenttypes", "auth"})


@dataclass
class Cast:
    district: District
    users: dict[str, Resident | None]
    partner_a: Partner
    partner_b: Partner
    building_a: Building
    building_b: Building
    organisation_a: Organisation
    organisation_b: Organisation
    clients: dict[str, Client] = field(default_factory=dict)

    def client(self, role: str) -> Client:
        """A fresh client signed in as the role (anonymous: signed out)."""
        client = Client()
        user = self.users[role]
        if user is not None:
            client.force_login(user)
        return client

    def user(self, role: str) -> Resident:
        user = self.users[role]
        assert user is not None, role
        return user


def _staff(district: District, role_name: str) -> Resident:
    # Every staff member can reach the console (is_staff), as in the demo city: the console must
    # refuse them by permission, not by the door being shut.
    return ResidentFactory(level="full", home_district=district, roles=[role_name], is_staff=True)


@pytest.fixture
def cast(db: Any) -> Cast:
    role_permissions_sync()
    district = DistrictFactory()
    partner_a, partner_b = make_partner("Partner A"), make_partner("Partner B")
    building_a, building_b = BuildingFactory(district=district), BuildingFactory(district=district)
    organisation_a, organisation_b = OrganisationFactory(), OrganisationFactory()
    users: dict[str, Resident | None] = {
        "anonymous": None,
        "resident": ResidentFactory(level="full", home_district=district),
        "other_resident": ResidentFactory(level="full", home_district=district),
        "operator": _staff(district, roles.OPERATOR),
        "moderator": _staff(district, roles.MODERATOR),
    }
    for suffix, partner in (("a", partner_a), ("b", partner_b)):
        person = _staff(district, roles.PARTNER_STAFF)
        partner_staff_assign(partner=partner, resident=person)
        users[f"partner_{suffix}"] = person
    for suffix, building in (("a", building_a), ("b", building_b)):
        person = _staff(district, roles.BUILDING_ADMINISTRATOR)
        AdministratorFactory(building=building, resident=person)
        users[f"building_admin_{suffix}"] = person
    for suffix, organisation in (("a", organisation_a), ("b", organisation_b)):
        person = _staff(district, roles.ORGANISATION_RESPONDER)
        responder_of(organisation, person)
        users[f"responder_{suffix}"] = person
    admin = ResidentFactory(level="full", home_district=district, is_staff=True, is_superuser=True)
    users["admin"] = admin
    assert set(users) == set(ROLES)
    return Cast(
        district=district,
        users=users,
        partner_a=partner_a,
        partner_b=partner_b,
        building_a=building_a,
        building_b=building_b,
        organisation_a=organisation_a,
        organisation_b=organisation_b,
    )


def row_counts() -> dict[str, int]:
    """How many rows every business table holds (gorod's apps; not sessions or throttling)."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label not in NOT_BUSINESS and model._meta.app_config.name.startswith("gorod.")
    }


@contextmanager
def nothing_written() -> Iterator[None]:
    """Asserts the block added or removed no business row (no points, notifications, audit)."""
    before = row_counts()
    yield
    after = row_counts()
    assert {k: (before[k], after[k]) for k in before if before[k] != after[k]} == {}


def as_expected(results: dict[str, bool], expected: set[str] | frozenset[str]) -> None:
    """Compare a role -> allowed map with the roles that should be allowed, naming the misfits."""
    allowed = {role for role, ok in results.items() if ok}
    assert {"wrongly allowed": allowed - set(expected), "wrongly refused": set(expected) - allowed} == {
        "wrongly allowed": set(),
        "wrongly refused": set(),
    }


@dataclass(frozen=True)
class Attempt:
    """One action of a matrix: ``prepare`` builds what it acts on (outside the measurement),
    ``act`` makes the request as a client and says whether the action took effect."""

    prepare: Callable[[], Any]
    act: Callable[[Client, Any], bool]
    writes: bool = True


def run_matrix(cast: Cast, attempt: Attempt, expected: frozenset[str] | set[str]) -> None:
    """Every role tries the action once on fresh objects; refused writes must write nothing."""
    results = {}
    for role in ROLES:
        target = attempt.prepare()
        if attempt.writes and role not in expected:
            with nothing_written():
                results[role] = attempt.act(cast.client(role), target)
        else:
            results[role] = attempt.act(cast.client(role), target)
    as_expected(results, expected)
