"""ID token validation, with keys made here: the checks the sign-in makes (gorod.accounts.oidc) refuse
a tampered token, a token signed by another key, a wrong nonce, an expired token, a wrong
audience, a wrong issuer and an unsigned token, and accept a good one."""

from __future__ import annotations

import base64
import datetime as dt
import json

import pytest
import time_machine
from joserfc import jwt
from joserfc.jwk import RSAKey

from gorod.accounts import oidc

ISSUER = "https://id.city.test"
CLIENT_ID = "gorod"
NOW = dt.datetime(2026, 11, 2, 9, 30, tzinfo=dt.UTC)
NONCE = "n-0S6_WzA2Mj"

SIGNING_KEY = RSAKey.generate_key(2048, parameters={"kid": "city-1"}, private=True)
IMPOSTOR_KEY = RSAKey.generate_key(2048, parameters={"kid": "city-1"}, private=True)


@pytest.fixture
def config(settings) -> oidc.Provider:
    settings.GOROD_OIDC_PROVIDERS = {
        "city": {"issuer": ISSUER, "client_id": CLIENT_ID, "client_secret": "s3cret", "levels": ""}
    }
    provider = oidc.provider("city")
    assert provider is not None
    # the provider's published keys, as discovery would have loaded them (no network here)
    oidc.client(provider).server_metadata.update(
        {
            "issuer": ISSUER,
            "jwks": {"keys": [SIGNING_KEY.as_dict(private=False)]},
            "id_token_signing_alg_values_supported": ["RS256"],
            "_loaded_at": 0,
        }
    )
    return provider


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def id_token(key: RSAKey = SIGNING_KEY, **changes) -> str:
    now = int(NOW.timestamp())
    claims = {
        "iss": ISSUER,
        "sub": "resident-42",
        "aud": CLIENT_ID,
        "iat": now,
        "exp": now + 600,
        "nonce": NONCE,
        "trusted": True,
        **changes,
    }
    claims = {name: value for name, value in claims.items() if value is not None}
    return jwt.encode({"alg": "RS256", "kid": "city-1"}, claims, key)


def refused(config: oidc.Provider, token: str, nonce: str = NONCE) -> bool:
    try:
        oidc.validate_id_token(config, token, nonce=nonce)
    except oidc.FLOW_ERRORS:
        return True
    return False


def test_a_good_token_is_accepted(config):
    claims = oidc.validate_id_token(config, id_token(), nonce=NONCE)
    assert claims["sub"] == "resident-42" and claims["trusted"] is True


def test_a_tampered_token_is_refused(config):
    header, payload, signature = id_token().split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["sub"] = "somebody-else"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    assert refused(config, f"{header}.{forged}.{signature}")


def test_a_token_signed_by_another_key_is_refused(config):
    assert refused(config, id_token(key=IMPOSTOR_KEY))


def test_a_wrong_nonce_is_refused(config):
    assert refused(config, id_token(nonce="replayed-nonce"))
    assert refused(config, id_token(nonce=None))  # none at all


def test_an_expired_token_is_refused(config):
    now = int(NOW.timestamp())
    assert refused(config, id_token(iat=now - 7200, exp=now - 3600))
    # within the clock leeway (60 s) it is still good
    assert not refused(config, id_token(iat=now - 600, exp=now - 30))


def test_a_token_for_another_client_is_refused(config):
    assert refused(config, id_token(aud="another-service"))
    assert refused(config, id_token(aud=["another-service", "third"]))


def test_a_token_from_another_issuer_is_refused(config):
    assert refused(config, id_token(iss="https://evil.example"))


def test_an_unsigned_token_is_refused(config):
    now = int(NOW.timestamp())
    body = {"iss": ISSUER, "sub": "x", "aud": CLIENT_ID, "iat": now, "exp": now + 600, "nonce": NONCE}

    def part(data: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    assert refused(config, f"{part({'alg': 'none'})}.{part(body)}.")


def test_a_plain_http_provider_is_refused_with_debug_off():
    """The test and demo provider (http://127.0.0.1) can never be live in production."""
    import subprocess
    import sys
    from pathlib import Path

    from tests.test_deploy_settings import production_env

    env = {k: v for k, v in production_env().items() if not k.startswith("GOROD_OIDC")}
    env.update(
        GOROD_OIDC_PROVIDERS="demo",
        GOROD_OIDC_DEMO_ISSUER="http://127.0.0.1:9090",
        GOROD_OIDC_DEMO_CLIENT_ID="gorod-demo",
    )
    root = Path(__file__).resolve().parents[3]
    done = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=root, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode != 0 and "must be an https:// URL" in done.stderr
    env["GOROD_OIDC_DEMO_ISSUER"] = "https://id.city.test"
    done = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=root, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
