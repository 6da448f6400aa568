"""Idempotency-Key on state-changing API calls: a retry replays the first answer and acts once;
the same key with another body is refused (422) and changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from gorod.accounts import services as account_services
from gorod.accounts.idempotency import idempotency_records_purge
from gorod.accounts.models import IdempotencyRecord
from gorod.accounts.tests.factories import ResidentFactory
from gorod.points import selectors as points_selectors
from gorod.rewards.models import Donation
from gorod.rewards.tests.factories import give_points, make_fund

pytestmark = pytest.mark.django_db


def api_for(resident) -> Client:
    _token, plain = account_services.api_token_issue(resident=resident, name="t")
    return Client(HTTP_AUTHORIZATION=f"Bearer {plain}")


@pytest.fixture
def donor():
    resident = ResidentFactory()
    give_points(resident, 1000)
    return resident


def test_a_retry_with_the_same_key_replays_and_donates_once(donor):
    fund = make_fund()
    api = api_for(donor)
    url = f"/api/v1/rewards/funds/{fund.pk}/donations"
    first = api.post(url, {"amount": 300}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = api.post(url, {"amount": 300}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Donation.objects.filter(fund=fund).count() == 1
    assert points_selectors.balance(donor).available == 700
    # a new key is a new donation
    assert (
        api.post(
            url, {"amount": 300}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-2"
        ).status_code
        == 201
    )
    assert Donation.objects.filter(fund=fund).count() == 2


def test_same_key_with_another_body_is_refused_and_changes_nothing(donor):
    fund = make_fund()
    api = api_for(donor)
    url = f"/api/v1/rewards/funds/{fund.pk}/donations"
    api.post(url, {"amount": 300}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    refused = api.post(url, {"amount": 500}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert refused.status_code == 422
    assert refused.json()["code"] == "idempotency_key_reused"
    assert Donation.objects.filter(fund=fund).count() == 1
    assert points_selectors.balance(donor).available == 700


def test_keys_belong_to_one_resident(donor):
    other = ResidentFactory()
    give_points(other, 1000)
    fund = make_fund()
    url = f"/api/v1/rewards/funds/{fund.pk}/donations"
    body = {"amount": 100}
    api_for(donor).post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="shared")
    theirs = api_for(other).post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="shared")
    assert theirs.status_code == 201 and "Idempotent-Replayed" not in theirs
    assert Donation.objects.filter(fund=fund).count() == 2


def test_a_refusal_is_replayed_too_and_a_key_in_progress_gets_409(donor):
    fund = make_fund()
    api = api_for(donor)
    url = f"/api/v1/rewards/funds/{fund.pk}/donations"
    too_much = api.post(url, {"amount": 5000}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="big")
    assert 400 <= too_much.status_code < 500 and too_much.json()["code"] == "insufficient_points"
    assert (
        api.post(url, {"amount": 5000}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="big").json()
        == too_much.json()
    )
    # a claim without an answer: another request with the key is still running
    IdempotencyRecord.objects.create(
        resident=donor, key="busy", method="POST", path=url, request_hash="x" * 64, status=None
    )
    busy = api.post(url, {"amount": 1}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="busy")
    assert busy.status_code in (409, 422)


def test_a_claim_left_by_a_dead_request_can_be_retried(donor):
    from gorod.accounts.idempotency import _request_hash  # noqa: F401 - the hash is internal

    fund = make_fund()
    api = api_for(donor)
    url = f"/api/v1/rewards/funds/{fund.pk}/donations"
    first = api.post(url, {"amount": 100}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="dead")
    record = IdempotencyRecord.objects.get(key="dead")
    # pretend the first request died after claiming and before answering, two minutes ago
    IdempotencyRecord.objects.filter(pk=record.pk).update(
        status=None, created_at=timezone.now() - dt.timedelta(minutes=2)
    )
    retry = api.post(url, {"amount": 100}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="dead")
    assert retry.status_code == 201 and first.status_code == 201


def test_old_keys_are_purged(donor, settings):
    settings.GOROD_IDEMPOTENCY_TTL_HOURS = 24
    IdempotencyRecord.objects.create(
        resident=donor, key="old", method="POST", path="/api/v1/x", request_hash="h", status=201
    )
    IdempotencyRecord.objects.filter(key="old").update(created_at=timezone.now() - dt.timedelta(hours=25))
    IdempotencyRecord.objects.create(
        resident=donor, key="new", method="POST", path="/api/v1/x", request_hash="h", status=201
    )
    assert idempotency_records_purge() == 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]
