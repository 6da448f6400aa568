"""OpenID Connect relying party: the providers residents may sign in with, beside local accounts.

Authlib does the protocol (docs/adr/0004-city-identity.md): discovery from the issuer's
``/.well-known/openid-configuration``, the authorization code flow with PKCE (S256), ``state`` and
``nonce`` kept in the session, the code exchanged at the token endpoint, and the ID token checked
(signature against the provider's JWKS, ``iss``, ``aud``, ``exp``, ``iat``, ``nonce``) before any
claim is believed; RP-initiated logout at the provider's ``end_session_endpoint``.

Providers come from ``settings.GOROD_OIDC_PROVIDERS`` (environment variables, see the README).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from authlib.integrations.base_client import OAuthError
from authlib.integrations.django_client import OAuth
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from joserfc.errors import JoseError

from gorod.accounts.rules import LevelRule, parse_level_rules

# Seconds of clock difference tolerated between the provider and us on exp/iat.
CLOCK_LEEWAY_SECONDS = 60
# What a failed sign-in at the provider, a refused token or an unreachable provider raises
# (requests' errors are OSErrors; a provider without an end_session_endpoint, RuntimeError).
FLOW_ERRORS = (OAuthError, JoseError, ValueError, KeyError, OSError, RuntimeError)


@dataclass(frozen=True)
class Provider:
    name: str
    issuer: str
    client_id: str
    client_secret: str
    label: str
    scopes: str
    level_rules: tuple[LevelRule, ...]


def providers() -> dict[str, Provider]:
    return _parse(tuple(sorted((name, tuple(sorted(conf.items()))) for name, conf in _configured().items())))


def _configured() -> dict[str, dict[str, str]]:
    return dict(getattr(settings, "GOROD_OIDC_PROVIDERS", {}))


@functools.cache
def _parse(configured: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]) -> dict[str, Provider]:
    found = {}
    for name, items in configured:
        conf = dict(items)
        found[name] = Provider(
            name=name,
            issuer=conf["issuer"].rstrip("/"),
            client_id=conf["client_id"],
            client_secret=conf.get("client_secret", ""),
            label=conf.get("label") or name,
            scopes=conf.get("scopes") or "openid profile email",
            level_rules=parse_level_rules(conf.get("levels", "")),
        )
    return found


def provider(name: str) -> Provider | None:
    return providers().get(name)


@functools.cache
def client(config: Provider) -> Any:
    """Authlib's Django client for a provider; it keeps the discovered metadata and keys."""
    oauth = OAuth()
    oauth.register(
        name=config.name,
        client_id=config.client_id,
        client_secret=config.client_secret,
        server_metadata_url=f"{config.issuer}/.well-known/openid-configuration",
        client_kwargs={"scope": config.scopes, "code_challenge_method": "S256", "timeout": 10},
    )
    return oauth.create_client(config.name)


def authorize_redirect(request: HttpRequest, config: Provider, redirect_uri: str) -> HttpResponse:
    """Send the browser to the provider; state, nonce and the PKCE verifier stay in our session."""
    return client(config).authorize_redirect(request, redirect_uri)


def claims_options(config: Provider) -> dict[str, Any]:
    # The issuer we were configured with, not whatever the discovery document says.
    return {"iss": {"essential": True, "values": [config.issuer]}}


def finish(request: HttpRequest, config: Provider) -> tuple[dict[str, Any], str]:
    """Exchange the code from the provider's redirect and validate the ID token: its claims and
    the raw token (kept for RP-initiated logout). Raises one of ``FLOW_ERRORS`` on any refusal."""
    token = client(config).authorize_access_token(
        request, claims_options=claims_options(config), leeway=CLOCK_LEEWAY_SECONDS
    )
    claims = token.get("userinfo")
    if not claims or not claims.get("sub"):
        raise OAuthError(description="no validated ID token in the provider's answer")
    return dict(claims), str(token["id_token"])


def validate_id_token(
    config: Provider, id_token: str, *, nonce: str, access_token: str = ""
) -> dict[str, Any]:
    """The checks ``finish`` makes on an ID token, for a token obtained some other way."""
    token = {"id_token": id_token, "access_token": access_token} if access_token else {"id_token": id_token}
    claims = client(config).parse_id_token(
        token, nonce=nonce, claims_options=claims_options(config), leeway=CLOCK_LEEWAY_SECONDS
    )
    return dict(claims)


def logout_redirect(
    request: HttpRequest, config: Provider, *, id_token: str, post_logout_redirect_uri: str
) -> HttpResponse:
    """End the resident's session at the provider too (RP-initiated logout)."""
    return client(config).logout_redirect(
        request,
        post_logout_redirect_uri=post_logout_redirect_uri,
        id_token_hint=id_token,
        client_id=config.client_id,
    )
