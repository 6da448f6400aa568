"""Permission matrix of accounts: a token is revoked only by its owner, a level changed only by
a city operator deciding a level request."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from gorod.accounts import services, services_levels
from gorod.accounts.models import ApiToken, LevelChange, LevelRequest, Resident
from gorod.accounts.tests.factories import ResidentFactory
from tests.permissions.conftest import ROLES, Attempt, Cast, run_matrix

pytestmark = pytest.mark.django_db

CITY_STAFF = frozenset({"operator", "admin"})


def attempts(cast: Cast) -> dict[str, tuple[Attempt, frozenset[str]]]:
    owner = cast.user("resident")

    def token() -> ApiToken:
        return services.api_token_issue(resident=owner, name=f"phone {ApiToken.objects.count()}")[0]

    def revoke(client: Client, target: ApiToken) -> bool:
        client.post(f"/accounts/tokens/{target.pk}/revoke/")
        return ApiToken.objects.get(pk=target.pk).revoked_at is not None

    def someone() -> Resident:
        return ResidentFactory(level="standard", home_district=cast.district)

    def level_request() -> LevelRequest:
        return services_levels.level_request_file(
            resident=someone(), to_level="full", document_number="4512 345678"
        )

    def make_full(client: Client, target: LevelRequest) -> bool:
        client.post(
            f"/accounts/staff/level-requests/{target.pk}/",
            {"decision": "approve", "checked": "on", "reason": ""},
        )
        return (
            Resident.objects.get(pk=target.resident_id).level == "full"
            and LevelChange.objects.filter(resident_id=target.resident_id).exists()
        )

    def sees_token_name(client: Client, target: ApiToken) -> bool:
        return target.name.encode() in client.get("/accounts/profile/").content

    def page(url: str) -> Any:
        return lambda client, target: client.get(url.format(pk=target.pk)).status_code == 200

    return {
        "revoke_a_token": (Attempt(token, revoke), frozenset({"resident"})),
        "see_a_token_in_the_profile": (
            Attempt(token, sees_token_name, writes=False),
            frozenset({"resident"}),
        ),
        "change_a_level": (Attempt(level_request, make_full), CITY_STAFF),
        "open_a_resident_in_the_console": (
            Attempt(someone, page("/console/accounts/resident/{pk}/change/"), writes=False),
            CITY_STAFF,
        ),
        "read_the_audit_log": (
            Attempt(someone, page("/console/accounts/auditentry/"), writes=False),
            CITY_STAFF,
        ),
    }


@pytest.mark.parametrize(
    "action",
    [
        "revoke_a_token",
        "see_a_token_in_the_profile",
        "change_a_level",
        "open_a_resident_in_the_console",
        "read_the_audit_log",
    ],
)
def test_permission_matrix(cast, action):
    attempt, expected = attempts(cast)[action]
    run_matrix(cast, attempt, expected)


def test_a_revoked_token_of_someone_else_stays_usable_for_its_owner(cast):
    _token, plain = services.api_token_issue(resident=cast.user("resident"), name="mine")
    for role in ROLES:
        if role != "resident" and cast.users[role] is not None:
            cast.client(role).post(f"/accounts/tokens/{_token.pk}/revoke/")
    assert Client(HTTP_AUTHORIZATION=f"Bearer {plain}").get("/api/v1/me").status_code == 200
