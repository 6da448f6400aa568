"""Permission matrix of Mission City: operators confirm evidence; partner staff only for the
challenges of their own partner (staff of partner B never for partner A's challenge)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from gorod.missions import services
from gorod.missions.models import Evidence, Participation, ProofMethod
from gorod.missions.tests.conftest import make_challenge
from tests.permissions.conftest import ROLES, Cast, as_expected, nothing_written

pytestmark = pytest.mark.django_db

CITY_STAFF = frozenset({"operator", "admin"})
EXPECTED: dict[str, frozenset[str]] = {
    "operator_evidence_on_the_site": CITY_STAFF,
    "operator_evidence_through_the_api": CITY_STAFF,
    "confirm_code_for_partner_a_on_the_site": CITY_STAFF | {"partner_a"},
    "confirm_code_for_partner_a_through_the_api": CITY_STAFF | {"partner_a"},
    "import_csv_for_partner_a_on_the_site": CITY_STAFF | {"partner_a"},
    "import_csv_for_partner_a_through_the_api": CITY_STAFF | {"partner_a"},
    "console_challenges": CITY_STAFF,
    "join": frozenset(ROLES) - {"anonymous"},
}
READS = {"console_challenges"}
_keys = itertools.count(1)


@pytest.fixture
def world(cast: Cast) -> dict[str, Any]:
    partner_a_staff = cast.user("partner_a")
    challenges = {
        "operator": make_challenge(title="GTO norms"),
        "code": make_challenge(
            title="Ski run", proof_method=ProofMethod.PARTNER_CODE, unit="km", confirmers=[partner_a_staff]
        ),
        "csv": make_challenge(
            title="Reading",
            proof_method=ProofMethod.CSV,
            action="reading_marathon",
            confirmers=[partner_a_staff],
        ),
    }
    resident = cast.user("resident")
    codes = {
        name: services.participation_join(challenge=challenge, resident=resident).code
        for name, challenge in challenges.items()
    }
    challenges["to_join"] = make_challenge(title="Nobody joined yet")
    return {"challenges": challenges, "codes": codes, "resident": resident}


def _evidence_added(action: Callable[[], Any]) -> bool:
    before = Evidence.objects.count()
    action()
    return Evidence.objects.count() > before


def attempts(world: dict[str, Any]) -> dict[str, Callable[[Client], bool]]:
    challenges, codes, username = world["challenges"], world["codes"], world["resident"].username

    def key() -> str:
        return f"e-{next(_keys)}"

    def csv() -> str:
        return f"resident,evidence,quantity\n{username},{key()},1\n"

    return {
        "operator_evidence_on_the_site": lambda c: _evidence_added(
            lambda: c.post(
                f"/missions/{challenges['operator'].pk}/evidence/",
                {"resident": codes["operator"], "key": key(), "quantity": 1},
            )
        ),
        "operator_evidence_through_the_api": lambda c: _evidence_added(
            lambda: c.post(
                f"/api/v1/missions/challenges/{challenges['operator'].pk}/evidence",
                {"resident": codes["operator"], "evidence": key(), "quantity": 1},
                content_type="application/json",
            )
        ),
        "confirm_code_for_partner_a_on_the_site": lambda c: _evidence_added(
            lambda: c.post("/missions/partner/", {"code": codes["code"], "key": key(), "quantity": 2})
        ),
        "confirm_code_for_partner_a_through_the_api": lambda c: _evidence_added(
            lambda: c.post(
                "/api/v1/missions/confirmations",
                {"code": codes["code"], "evidence": key(), "quantity": 2},
                content_type="application/json",
            )
        ),
        "import_csv_for_partner_a_on_the_site": lambda c: _evidence_added(
            lambda: c.post(
                f"/missions/{challenges['csv'].pk}/import/",
                {"file": SimpleUploadedFile("r.csv", csv().encode(), content_type="text/csv")},
            )
        ),
        "import_csv_for_partner_a_through_the_api": lambda c: _evidence_added(
            lambda: c.post(
                f"/api/v1/missions/challenges/{challenges['csv'].pk}/import",
                {"csv": csv()},
                content_type="application/json",
            )
        ),
        "console_challenges": lambda c: c.get("/console/missions/challenge/").status_code == 200,
        "join": lambda c: (
            c.post(f"/api/v1/missions/challenges/{challenges['to_join'].pk}/join").status_code == 201
        ),
    }


@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_permission_matrix(cast, world, action):
    attempt = attempts(world)[action]
    results = {}
    for role in ROLES:
        if role in EXPECTED[action] or action in READS:
            results[role] = attempt(cast.client(role))
            continue
        progress = list(Participation.objects.order_by("pk").values_list("progress", "points_earned"))
        with nothing_written():
            results[role] = attempt(cast.client(role))
        assert list(Participation.objects.order_by("pk").values_list("progress", "points_earned")) == progress
    as_expected(results, EXPECTED[action])
