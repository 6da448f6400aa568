"""The account level workflow through the API (issue 26's parity): a resident files a request
naming their passport (one open at a time), an operator approves after comparing the original or
rejects with a reason; nobody decides their own; the answer carries the audit trail (who checked,
when, why); refusals change nothing."""

from __future__ import annotations

import json
import secrets

import pytest
from django.test import Client

from gorod.accounts import roles
from gorod.accounts import services as accounts
from gorod.accounts.models import AuditEntry, LevelChange, LevelRequest, Resident
from gorod.accounts.tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db


def api(person) -> Client:
    token = accounts.api_token_issue(resident=person, name=secrets.token_hex(6))[1]
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def post(client: Client, path: str, body: dict):
    return client.post(path, json.dumps(body), content_type="application/json")


def written() -> tuple:
    return (
        sorted(
            LevelRequest.objects.values_list("pk", "status", "document_number", "checked_by_id", "reason")
        ),
        sorted(Resident.objects.values_list("pk", "level")),
        LevelChange.objects.count(),
        AuditEntry.objects.count(),
    )


@pytest.fixture
def operator(db):
    return ResidentFactory(level="full", roles=[roles.OPERATOR], is_staff=True)


@pytest.fixture
def resident(db):
    return ResidentFactory(level="simplified", first_name="Olga", last_name="Ivanova")


@pytest.fixture
def filed(resident):
    response = post(
        api(resident), "/api/v1/me/level-requests", {"to_level": "full", "document_number": "45 12 345678"}
    )
    assert response.status_code == 201, response.json()
    return LevelRequest.objects.get(pk=response.json()["id"])


def test_a_resident_files_one_request_and_bad_ones_are_refused(resident):
    client = api(resident)
    before = written()
    bad_number = post(client, "/api/v1/me/level-requests", {"to_level": "full", "document_number": "12-34"})
    assert bad_number.status_code == 422 and bad_number.json()["code"] == "invalid_input"
    unknown = post(
        client, "/api/v1/me/level-requests", {"to_level": "simplified", "document_number": "4512345678"}
    )
    assert unknown.status_code == 422 and unknown.json()["code"] == "invalid_input"
    assert written() == before
    first = post(
        client, "/api/v1/me/level-requests", {"to_level": "standard", "document_number": "4512 345678"}
    )
    assert first.status_code == 201
    body = first.json()
    assert (body["status"], body["to_level"], body["document_number"]) == (
        "pending",
        "standard",
        "4512345678",
    )
    assert body["checked_by"] is None and body["checked_at"] is None
    filed_state = written()
    second = post(client, "/api/v1/me/level-requests", {"to_level": "full", "document_number": "4512345679"})
    assert second.status_code == 409 and second.json()["code"] == "level_request_pending"
    assert written() == filed_state
    assert [r["id"] for r in client.get("/api/v1/me/level-requests").json()] == [body["id"]]
    assert Resident.objects.get(pk=resident.pk).level == "simplified"  # filing changes nothing


def test_a_level_not_higher_is_refused(db):
    standard = ResidentFactory(level="standard")
    before = written()
    same = post(
        api(standard), "/api/v1/me/level-requests", {"to_level": "standard", "document_number": "4512345678"}
    )
    assert same.status_code == 409 and same.json()["code"] == "level_not_higher"
    assert written() == before


def test_the_operator_approves_after_checking_with_the_audit_trail(filed, operator):
    client = api(operator)
    queue = client.get("/api/v1/level-requests").json()
    assert [(r["id"], r["resident"], r["document_number"]) for r in queue] == [
        (filed.pk, "Olga Ivanova", "4512345678")
    ]
    url = f"/api/v1/level-requests/{filed.pk}/decision"
    before = written()
    unchecked = post(client, url, {"approve": True})
    assert unchecked.status_code == 422 and unchecked.json()["code"] == "document_not_checked"
    assert written() == before
    done = post(client, url, {"approve": True, "checked": True})
    assert done.status_code == 200
    body = done.json()
    assert body["status"] == "approved" and body["level"] == "full"
    assert body["checked_by"] == (operator.get_full_name() or operator.username) and body["checked_at"]
    assert body["document_number"] == "******5678"  # the full number is not kept after the check
    change = LevelChange.objects.get(resident_id=filed.resident_id)
    assert change.changed_by == operator and f"level request {filed.pk}" in change.reason
    assert AuditEntry.objects.filter(action="resident.level_request_decide", actor=operator).count() == 1
    decided = written()
    again = post(client, url, {"approve": False, "reason": "x"})
    assert again.status_code == 409 and again.json()["code"] == "level_request_decided"
    assert written() == decided
    assert [r["id"] for r in client.get("/api/v1/level-requests?status=approved").json()] == [filed.pk]
    mine = api(filed.resident).get("/api/v1/me/level-requests").json()
    assert mine[0]["status"] == "approved" and mine[0]["checked_at"]


def test_a_rejection_needs_a_reason_the_resident_then_sees(filed, operator):
    url = f"/api/v1/level-requests/{filed.pk}/decision"
    before = written()
    no_reason = post(api(operator), url, {"approve": False, "reason": "  "})
    assert no_reason.status_code == 422 and no_reason.json()["code"] == "reject_reason_required"
    assert written() == before
    rejected = post(api(operator), url, {"approve": False, "reason": "The passport belongs to someone else"})
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    assert (
        Resident.objects.get(pk=filed.resident_id).level == "simplified" and not LevelChange.objects.exists()
    )
    mine = api(filed.resident).get("/api/v1/me/level-requests").json()
    assert mine[0]["reason"] == "The passport belongs to someone else"


def test_an_operator_does_not_decide_their_own_request(operator):
    operator.level = "standard"
    operator.save(update_fields=["level"])
    client = api(operator)
    own = post(
        client, "/api/v1/me/level-requests", {"to_level": "full", "document_number": "4512345678"}
    ).json()
    before = written()
    response = post(
        client, f"/api/v1/level-requests/{own['id']}/decision", {"approve": True, "checked": True}
    )
    assert response.status_code == 403 and response.json()["code"] == "own_level_request"
    assert written() == before


@pytest.mark.parametrize(
    "role",
    [roles.MODERATOR, roles.BUILDING_ADMINISTRATOR, roles.PARTNER_STAFF, roles.ORGANISATION_RESPONDER, None],
)
def test_nobody_but_an_operator_reviews(filed, role):
    person = ResidentFactory(level="full", roles=[role] if role else [], is_staff=role is not None)
    client = api(person)
    before = written()
    queue = client.get("/api/v1/level-requests")
    assert queue.status_code == 403 and queue.json()["code"] == "forbidden"
    decide = post(client, f"/api/v1/level-requests/{filed.pk}/decision", {"approve": True, "checked": True})
    assert decide.status_code == 403 and decide.json()["code"] == "forbidden"
    assert post(Client(), f"/api/v1/level-requests/{filed.pk}/decision", {"approve": True}).status_code == 401
    assert written() == before


def test_an_unknown_request_is_404(operator):
    missing = post(
        api(operator), "/api/v1/level-requests/999999/decision", {"approve": True, "checked": True}
    )
    assert missing.status_code == 404 and missing.json()["code"] == "level_request_not_found"
