"""Sign-in lockout behind the reverse proxy: counted per real client (the address nginx saw, from
X-Forwarded-For with GOROD_TRUSTED_PROXY_COUNT), and per account, however the login is typed."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from gorod.accounts.tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db

PASSWORD = "pass-word-123"
PROXY = "127.0.0.1"
ATTACKER = "203.0.113.66"
BORIS_HOME = "198.51.100.7"


@pytest.fixture
def behind_proxy(settings):
    settings.GOROD_TRUSTED_PROXY_COUNT = 1
    settings.GOROD_RATE_LIMITS_ENABLED = False  # here we test the lockout, not the rate limits
    return settings


@pytest.fixture
def boris(db):
    return ResidentFactory(username="boris", email="boris@example.test", phone="+79991234567")


def through_proxy(forwarded_for: str) -> Client:
    """A client as gorod sees it behind nginx: the proxy's address, the client's in the header."""
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)


def sign_in(client: Client, login: str, password: str):
    return client.post(reverse("accounts:sign_in"), {"username": login, "password": password})


def test_lockout_is_per_client_behind_the_proxy(behind_proxy, boris):
    attacker = through_proxy(ATTACKER)
    # the fifth failure locks: it is answered with the lockout page
    assert [sign_in(attacker, "boris", "guess").status_code for _ in range(5)] == [200] * 4 + [429]
    # the attacker is locked out of boris's account, even with the right password
    locked = sign_in(attacker, "boris", PASSWORD)
    assert locked.status_code == 429
    assert "_auth_user_id" not in attacker.session
    # boris, at home, behind the same proxy, signs in as usual
    home = through_proxy(BORIS_HOME)
    assert sign_in(home, "boris", PASSWORD).status_code == 302
    assert home.session["_auth_user_id"] == str(boris.pk)


def test_a_forged_forwarded_header_does_not_escape_the_lockout(behind_proxy, boris):
    """nginx appends the address it saw; what the client wrote before it is not trusted."""
    # each attempt claims another origin, but nginx saw the same client every time
    statuses = [
        sign_in(through_proxy(f"10.9.9.{n}, {ATTACKER}"), "boris", "guess").status_code for n in range(5)
    ]
    assert statuses == [200] * 4 + [429]
    assert sign_in(through_proxy(f"{BORIS_HOME}, {ATTACKER}"), "boris", PASSWORD).status_code == 429
    assert sign_in(through_proxy(BORIS_HOME), "boris", PASSWORD).status_code == 302


def test_without_the_proxy_setting_everyone_shares_the_proxy_address(settings, boris):
    """What the setting fixes: counted at the proxy's address, one attacker locks boris out for all."""
    settings.GOROD_TRUSTED_PROXY_COUNT = 0
    settings.GOROD_RATE_LIMITS_ENABLED = False
    for _ in range(5):
        sign_in(through_proxy(ATTACKER), "boris", "guess")
    assert sign_in(through_proxy(BORIS_HOME), "boris", PASSWORD).status_code == 429


def test_other_spellings_of_the_login_count_against_the_same_account(behind_proxy, boris):
    attacker = through_proxy(ATTACKER)
    spellings = ("Boris", "BORIS", "boris@example.test", "BORIS@EXAMPLE.TEST", "+7 999 123-45-67")
    assert [sign_in(attacker, login, "guess").status_code for login in spellings] == [200] * 4 + [429]
    for login in ("boris", "Boris", "boris@example.test"):
        assert sign_in(attacker, login, PASSWORD).status_code == 429
    assert "_auth_user_id" not in attacker.session
    # the lockout is on the account at this address: another account from here is unaffected
    ResidentFactory(username="vera")
    assert sign_in(attacker, "vera", PASSWORD).status_code == 302


def test_the_sign_in_rate_limit_counts_the_account_too(settings, boris):
    settings.AXES_ENABLED = False
    settings.GOROD_RATE_LIMITS = {"sign_in": {"account": (3, 300)}}
    for n, login in enumerate(("boris", "BORIS", "boris@example.test")):
        assert sign_in(Client(REMOTE_ADDR=f"10.0.0.{n}"), login, "guess").status_code == 200
    refused = sign_in(Client(REMOTE_ADDR="10.0.0.9"), "Boris", PASSWORD)
    assert refused.status_code == 429
