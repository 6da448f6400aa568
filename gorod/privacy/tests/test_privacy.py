"""A resident downloads their data and deletes their account: identity erased, ledger and
ballots intact; refusals change nothing."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from gorod.accounts import services as account_services
from gorod.accounts.models import ApiToken, AuditEntry, Resident
from gorod.accounts.tests.factories import ResidentFactory
from gorod.notifications import services as notifications
from gorod.notifications.models import Notification
from gorod.points import selectors as points_selectors
from gorod.points import services as points
from gorod.points.checks import ledger_mismatches
from gorod.points.models import Transfer
from gorod.privacy import services
from gorod.privacy.errors import AlreadyErased

pytestmark = pytest.mark.django_db


@pytest.fixture
def zina():
    resident = ResidentFactory(
        username="zina",
        first_name="Zinaida",
        last_name="Uniquename",
        email="zina@example.test",
        phone="+79990001122",
    )
    for n in range(3):
        points.award(
            resident=resident,
            programme="active_citizen",
            action="vote",
            source_key=f"vote:p{n}:{resident.pk}",
        )
    notifications.notify(
        resident_ids=[resident.pk], kind="building_news", event_key="hello", title="Hello Zinaida"
    )
    return resident


def signed_in(resident) -> Client:
    client = Client()
    client.force_login(resident)
    return client


def test_export_has_profile_points_and_records_but_no_secrets(zina):
    account_services.api_token_issue(resident=zina, name="phone app")
    response = signed_in(zina).get("/privacy/export.json")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["profile"]["email"] == "zina@example.test" and data["profile"]["phone"] == "+79990001122"
    assert data["points"]["balance"] == points_selectors.balance(zina).balance
    assert len(data["points"]["transfers"]) == 3
    assert any(key.startswith("notifications.Notification") for key in data["records"])
    tokens = data["records"]["accounts.ApiToken (resident)"]
    assert tokens[0]["name"] == "phone app" and "digest" not in tokens[0]
    assert "password" not in json.dumps(data)


def test_export_by_api_and_only_for_oneself(zina, api_client, resident):
    data = api_client.get("/api/v1/me/export").json()
    assert data["profile"]["id"] == resident.pk
    assert "Uniquename" not in json.dumps(data)
    assert Client().get("/api/v1/me/export").status_code == 401
    assert Client().get("/privacy/export.json").status_code == 302


def test_erasure_removes_identity_and_keeps_the_ledger_whole(zina):
    balance = points_selectors.balance(zina).balance
    transfers = Transfer.objects.count()
    token, _plain = account_services.api_token_issue(resident=zina, name="phone app")
    client = signed_in(zina)
    response = client.post("/privacy/", {"password": "pass-word-123", "confirm": "DELETE"})
    assert response.status_code == 302
    erased = Resident.objects.get(pk=zina.pk)
    assert erased.erased_at is not None and not erased.is_active
    assert (erased.username, erased.first_name, erased.last_name) == (f"erased-{zina.pk}", "", "")
    assert erased.email is None and erased.phone is None and not erased.has_usable_password()
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    assert not Notification.objects.filter(resident=erased).exists()
    # the ledger is untouched and still proves every balance
    assert points_selectors.balance(erased).balance == balance
    assert Transfer.objects.count() == transfers
    mismatches, _checked = ledger_mismatches()
    assert mismatches == []
    assert AuditEntry.objects.filter(action="resident_erased", object_id=str(zina.pk)).exists()
    # signed out, and cannot sign in again
    assert client.get("/privacy/").status_code == 302
    attempt = Client().post("/accounts/sign-in/", {"username": "zina", "password": "pass-word-123"})
    assert attempt.status_code == 200 and "_auth_user_id" not in Client().session


def test_erasure_by_api(zina):
    _token, plain = account_services.api_token_issue(resident=zina, name="t")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {plain}")
    response = api.post(
        "/api/v1/me/erase",
        {"password": "pass-word-123", "confirm": "delete"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json() == {"erased": True}
    assert Resident.objects.get(pk=zina.pk).erased_at is not None
    # the token died with the account
    assert api.get("/api/v1/me").status_code == 401


@pytest.mark.parametrize(
    ("password", "confirm", "code"),
    [("wrong", "DELETE", "wrong_password"), ("pass-word-123", "yes", "confirmation_missing")],
)
def test_refused_erasure_changes_nothing(zina, password, confirm, code):
    _token, plain = account_services.api_token_issue(resident=zina, name="t")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {plain}")
    response = api.post(
        "/api/v1/me/erase", {"password": password, "confirm": confirm}, content_type="application/json"
    )
    assert response.json()["code"] == code
    kept = Resident.objects.get(pk=zina.pk)
    assert kept.erased_at is None and kept.email == "zina@example.test" and kept.is_active
    page = signed_in(zina).post("/privacy/", {"password": password, "confirm": confirm})
    assert page.status_code == 400
    assert Resident.objects.get(pk=zina.pk).erased_at is None


def test_erasing_twice_is_refused(zina):
    services.resident_erase(resident=zina)
    with pytest.raises(AlreadyErased):
        services.resident_erase(resident=zina)
