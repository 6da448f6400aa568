from __future__ import annotations

import pytest
from django.test import Client

from gorod.notifications.kinds import KINDS
from gorod.notifications.models import Preference

pytestmark = pytest.mark.django_db


def test_preferences_are_read_and_set_through_the_api(api_client, resident):
    url = "/api/v1/notifications/preferences"
    found = api_client.get(url).json()
    assert [p["kind"] for p in found] == list(KINDS)
    assert all(p["by_email"] for p in found)
    kind = next(iter(KINDS))
    answer = api_client.put(url, {"by_email": {kind: False}}, content_type="application/json")
    assert answer.status_code == 200
    assert {p["kind"]: p["by_email"] for p in answer.json()}[kind] is False
    assert Preference.objects.get(resident=resident, kind=kind).by_email is False


def test_an_unknown_kind_changes_nothing(api_client, resident):
    kind = next(iter(KINDS))
    answer = api_client.put(
        "/api/v1/notifications/preferences",
        {"by_email": {kind: False, "no-such-kind": False}},
        content_type="application/json",
    )
    assert answer.status_code == 422
    assert answer.json()["code"] == "unknown_notification_kind"
    assert answer.json()["details"] == {"kinds": ["no-such-kind"]}
    assert not Preference.objects.filter(resident=resident).exists()


def test_preferences_need_a_resident():
    assert Client().get("/api/v1/notifications/preferences").status_code == 401
