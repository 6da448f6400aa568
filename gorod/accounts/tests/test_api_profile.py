"""Issue 26: the profile a resident edits on the site (name, home district, notifications) can be
edited through the API too, with the same service; a refusal changes nothing."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from gorod.accounts.models import Resident
from gorod.accounts.tests.factories import DistrictFactory

pytestmark = pytest.mark.django_db


def _put(client, body):
    return client.put("/api/v1/me", json.dumps(body), content_type="application/json")


def test_profile_edited_through_the_api_is_what_the_site_shows(api_client, resident, client):
    arbat = DistrictFactory(code="arbat-profile", name="Arbat")
    body = {
        "first_name": " Anna ",
        "last_name": "Petrova",
        "home_district": "arbat-profile",
        "consents_to_notifications": True,
    }
    saved = _put(api_client, body)
    assert saved.status_code == 200
    assert {k: saved.json()[k] for k in body} == {**body, "first_name": "Anna"}
    stored = Resident.objects.get(pk=resident.pk)
    assert (stored.first_name, stored.home_district_id, stored.consents_to_notifications) == (
        "Anna",
        arbat.pk,
        True,
    )
    assert api_client.get("/api/v1/me").json()["home_district"] == "arbat-profile"
    client.force_login(stored)
    assert "Petrova" in client.get("/accounts/profile/").content.decode()
    cleared = _put(api_client, {"first_name": "Anna", "home_district": None})
    assert cleared.json()["home_district"] is None and cleared.json()["consents_to_notifications"] is False


@pytest.mark.parametrize(
    "body,status,code",
    [
        ({"first_name": "Anna", "home_district": "no-such-district"}, 409, "unknown_district"),
        ({"first_name": "   "}, 422, "invalid_input"),
        ({"last_name": "Petrova"}, 422, "invalid_input"),
    ],
    ids=["unknown-district", "blank-name", "no-name"],
)
def test_refusals_change_nothing(api_client, resident, body, status, code):
    before = Resident.objects.values("first_name", "last_name", "home_district_id").get(pk=resident.pk)
    refused = _put(api_client, body)
    assert (refused.status_code, refused.json()["code"]) == (status, code)
    assert (
        Resident.objects.values("first_name", "last_name", "home_district_id").get(pk=resident.pk) == before
    )


def test_profile_needs_a_resident(db):
    assert _put(Client(), {"first_name": "Anna"}).status_code == 401
