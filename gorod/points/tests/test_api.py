from __future__ import annotations

import pytest
from django.test import Client

from gorod.points import services
from gorod.points.models import Transfer

pytestmark = pytest.mark.django_db


def test_me_balance_statement_rules(api_client, resident):
    for n in range(3):
        services.award(resident=resident, programme="active_citizen", action="vote", source_key=f"vote:{n}")
    me = api_client.get("/api/v1/me").json()
    assert me["username"] == resident.username and me["level"] == "standard"
    assert api_client.get("/api/v1/points/balance").json() == {
        "balance": 60,
        "held": 0,
        "available": 60,
        "is_debt": False,
    }
    page = api_client.get("/api/v1/points/statement?limit=2").json()
    assert [line["amount"] for line in page["lines"]] == [20, 20]
    rest = api_client.get(f"/api/v1/points/statement?limit=2&cursor={page['next_cursor']}").json()
    assert len(rest["lines"]) == 1 and rest["next_cursor"] is None
    rules = Client().get("/api/v1/points/rules").json()
    vote = next(r for r in rules if r["action"] == "vote")
    assert vote["amount_standard"] == 20 and vote["programme"] == "active_citizen"


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/api/v1/points/statement?cursor=abc", 422, "invalid_input"),
        ("/api/v1/points/statement?cursor=-5", 422, "invalid_input"),
        ("/api/v1/points/statement?limit=100000", 422, "invalid_input"),
        ("/api/v1/nowhere", 404, None),
    ],
)
def test_bad_queries_get_a_clear_error(api_client, path, status, code):
    response = api_client.get(path)
    assert response.status_code == status
    if code:
        assert response.json()["code"] == code


def test_unauthenticated_and_revoked_tokens_are_refused(resident):
    from gorod.accounts import services as account_services

    anonymous = Client().get("/api/v1/points/balance")
    assert anonymous.status_code == 401 and anonymous.json()["code"] == "not_authenticated"
    token, plain = account_services.api_token_issue(resident=resident, name="phone")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {plain}")
    assert client.get("/api/v1/points/balance").status_code == 200
    account_services.api_token_revoke(resident=resident, token_id=token.pk)
    assert client.get("/api/v1/points/balance").status_code == 401
    assert Client(HTTP_AUTHORIZATION="Bearer gor_forged").get("/api/v1/me").status_code == 401


def test_malformed_json_and_oversize_bodies_write_nothing(api_client, settings):
    before = Transfer.objects.count()
    response = api_client.post("/api/v1/notifications/read", "{not json", content_type="application/json")
    assert response.status_code in (400, 422)
    assert "code" in response.json()
    wrong_type = api_client.post(
        "/api/v1/notifications/read", {"ids": "all"}, content_type="application/json"
    )
    assert wrong_type.status_code == 422 and wrong_type.json()["code"] == "invalid_input"
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    big = api_client.post(
        "/api/v1/notifications/read", {"ids": list(range(200))}, content_type="application/json"
    )
    assert big.status_code == 413 and big.json()["code"] == "payload_too_large"
    assert Transfer.objects.count() == before


def test_session_auth_needs_csrf(resident):
    client = Client(enforce_csrf_checks=True)
    client.force_login(resident)
    assert client.get("/api/v1/points/balance").status_code == 200
    response = client.post("/api/v1/notifications/read", {}, content_type="application/json")
    assert response.status_code in (401, 403)
