"""Rate limits: sign-in, sign-up, password reset, API writes and form posts of the site, per
account and per address, with 429 + Retry-After; health, readiness and metrics are never limited."""

from __future__ import annotations

import datetime as dt
import time

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client

from gorod.accounts import services as account_services
from gorod.accounts.models import Resident
from gorod.accounts.tests.factories import ResidentFactory
from gorod.rewards.models import Donation
from gorod.rewards.tests.factories import give_points, make_fund

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_counts():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def tight(settings):
    # The limits count in fixed windows of the wall clock (60 s to 1 h). A test that began near
    # the end of one saw its later requests counted in the next window (a neighbour's post let
    # through at 09:00:59.9): each test starts one second into an hour, so every window it uses
    # is the one it began in.
    started = (time.time() // 3600 + 1) * 3600 + 1
    with time_machine.travel(dt.datetime.fromtimestamp(started, tz=dt.UTC), tick=True):
        yield _tight_limits(settings)


def _tight_limits(settings):
    settings.GOROD_RATE_LIMITS = {
        "sign_in": {"account": (3, 300), "address": (5, 300)},
        "sign_up": {"address": (2, 3600)},
        "password_reset": {"account": (2, 3600), "address": (4, 3600)},
        "api_write": {"account": (3, 60), "address": (5, 60)},
        "page_write": {"account": (2, 60), "address": (3, 60)},
    }
    settings.AXES_ENABLED = False  # axes' own lockout would answer first; here we test ours
    return settings


def test_sign_in_is_limited_per_account_then_per_address(client, tight):
    ResidentFactory(username="target")
    for _ in range(3):
        assert (
            client.post("/accounts/sign-in/", {"username": "target", "password": "wrong"}).status_code == 200
        )
    refused = client.post("/accounts/sign-in/", {"username": "target", "password": "pass-word-123"})
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 300
    assert "Too many requests" in refused.content.decode()
    # another account from the same address: allowed until the address's own limit (5) is used up
    assert client.post("/accounts/sign-in/", {"username": "other", "password": "x"}).status_code == 200
    assert client.post("/accounts/sign-in/", {"username": "other", "password": "x"}).status_code == 429
    # another address is not affected by this one's count
    elsewhere = Client(REMOTE_ADDR="10.0.0.9")
    assert elsewhere.post("/accounts/sign-in/", {"username": "third", "password": "x"}).status_code == 200


def test_sign_up_is_limited_per_address_and_nothing_is_created(client, tight):
    def sign_up(n):
        return client.post(
            "/accounts/sign-up/",
            {"username": f"new{n}", "password": "a-long-pass-2026", "email": f"new{n}@example.test"},
        )

    sign_up(1)
    sign_up(2)
    before = Resident.objects.count()
    refused = sign_up(3)
    assert refused.status_code == 429 and refused["Retry-After"]
    assert Resident.objects.count() == before
    assert not Resident.objects.filter(username="new3").exists()


def test_password_reset_is_limited_per_account(client, tight, mailoutbox):
    ResidentFactory(username="forgetful", email="forgetful@example.test")
    for _ in range(2):
        assert (
            client.post("/accounts/password-reset/", {"email": "forgetful@example.test"}).status_code == 302
        )
    assert client.post("/accounts/password-reset/", {"email": "forgetful@example.test"}).status_code == 429
    assert len(mailoutbox) == 2


def test_api_writes_are_limited_per_account_with_json_and_nothing_written(tight):
    resident = ResidentFactory()
    give_points(resident, 1000)
    fund = make_fund()
    _token, plain = account_services.api_token_issue(resident=resident, name="t")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {plain}")
    url = f"/api/v1/rewards/funds/{fund.pk}/donations"
    for _ in range(3):
        assert api.post(url, {"amount": 10}, content_type="application/json").status_code == 201
    refused = api.post(url, {"amount": 10}, content_type="application/json")
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited"
    assert refused.json()["details"]["per"] == "account"
    assert int(refused["Retry-After"]) >= 1
    assert Donation.objects.filter(fund=fund).count() == 3
    # reads are not limited
    assert api.get("/api/v1/me").status_code == 200


def test_form_posts_of_the_site_are_limited_per_account_then_per_address(tight):
    fund = make_fund()
    first, second = ResidentFactory(), ResidentFactory()
    for resident in (first, second):
        give_points(resident, 1000)
    page = Client()
    page.force_login(first)
    url = f"/rewards/charity/{fund.pk}/"
    for _ in range(2):
        assert page.post(url, {"amount": 10}).status_code == 302
    refused = page.post(url, {"amount": 10})
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
    assert "Too many requests" in refused.content.decode()
    assert Donation.objects.filter(fund=fund).count() == 2
    # a neighbour behind the same address: the address's count (3) is used up by this post
    neighbour = Client()
    neighbour.force_login(second)
    assert neighbour.post(url, {"amount": 10}).status_code == 429
    assert Donation.objects.filter(fund=fund).count() == 2
    # reading the page is never limited
    assert page.get(url).status_code == 200


def test_health_readiness_and_metrics_are_never_limited(client, tight):
    tight.GOROD_RATE_LIMITS = {name: {"address": (0, 60)} for name in tight.GOROD_RATE_LIMITS}
    for _ in range(5):
        assert client.get("/healthz").status_code == 200
        assert client.get("/readyz").status_code == 200
        assert client.get("/metrics").status_code == 200


def test_address_comes_from_the_trusted_proxy_header(tight):
    tight.GOROD_TRUSTED_PROXY_COUNT = 1
    tight.GOROD_RATE_LIMITS = {"sign_up": {"address": (1, 3600)}}
    a = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.1")
    b = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.2")
    assert a.post("/accounts/sign-up/", {}).status_code == 200
    assert a.post("/accounts/sign-up/", {}).status_code == 429
    assert b.post("/accounts/sign-up/", {}).status_code == 200


def test_a_window_counts_from_its_first_request_even_when_two_open_it_at_once(monkeypatch):
    from gorod.accounts import ratelimit

    now = 1_000_000.0
    assert [ratelimit._hit("api_write", "account", "r1", 2, 60, now) for _ in range(2)] == [None, None]
    assert ratelimit._hit("api_write", "account", "r1", 2, 60, now) == 20  # the third, 20 s left
    # the next window starts again from one
    assert ratelimit._hit("api_write", "account", "r1", 2, 60, now + 20) is None

    # another process opens the window between our failed count and our add: we count after it
    real_add = cache.add

    def add_after_another(key, value, timeout=None):
        real_add(key, 1, timeout=timeout)
        return False

    monkeypatch.setattr(cache, "add", add_after_another)
    assert ratelimit._hit("api_write", "account", "r2", 1, 60, now) == 20
