"""Issue 25: sign-up records consent to the processing of personal data (152-FZ): the text, its
version and when; a new version is asked for again on the next page."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from gorod.accounts import consent
from gorod.accounts.models import ProcessingConsent, Resident

pytestmark = pytest.mark.django_db

SIGN_UP = {
    "username": "olga",
    "first_name": "Olga",
    "email": "olga@example.test",
    "password": "a-long-city-password",
}
MOMENT = dt.datetime(2026, 11, 3, 9, 30, tzinfo=dt.UTC)


def test_sign_up_without_consent_is_refused_and_creates_nothing():
    response = Client().post(reverse("accounts:sign_up"), SIGN_UP)
    assert response.status_code == 200 and "consent" in response.context["form"].errors
    assert not Resident.objects.filter(username="olga").exists()
    assert not ProcessingConsent.objects.exists()


def test_sign_up_records_the_text_its_version_and_when():
    with time_machine.travel(MOMENT, tick=False):
        response = Client().post(reverse("accounts:sign_up"), {**SIGN_UP, "consent": "on"})
    assert response.status_code == 302
    resident = Resident.objects.get(username="olga")
    record = ProcessingConsent.objects.get(resident=resident)
    assert record.version == consent.CONSENT_VERSION == resident.consent_version
    assert "152-FZ" in record.text and record.given_at == MOMENT


def test_a_new_version_asks_again_on_the_next_page(resident, monkeypatch):
    client = Client()
    client.force_login(resident)
    assert client.get("/notifications/").status_code == 200
    monkeypatch.setattr(consent, "CONSENT_VERSION", "2027-01-15")
    asked = client.get("/notifications/?page=1")
    assert asked.status_code == 302
    assert asked["Location"] == reverse("accounts:consent") + "?next=%2Fnotifications%2F%3Fpage%3D1"
    assert client.post("/notifications/read/").status_code == 302  # no action before agreeing
    # Their own data and signing out stay open.
    assert client.get(reverse("privacy:my_data")).status_code == 200
    page = client.get(asked["Location"])
    assert page.status_code == 200 and "152-FZ" in page.content.decode()
    refused = client.post(reverse("accounts:consent"), {"next": "/notifications/"})
    assert refused.status_code == 400 and not ProcessingConsent.objects.filter(resident=resident).exists()
    agreed = client.post(reverse("accounts:consent"), {"consent": "on", "next": "/notifications/"})
    assert agreed.status_code == 302 and agreed["Location"] == "/notifications/"
    assert ProcessingConsent.objects.get(resident=resident).version == "2027-01-15"
    assert client.get("/notifications/").status_code == 200
