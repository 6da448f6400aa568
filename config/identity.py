"""Sign-in settings, read from the environment: the city's OpenID Connect providers, the staff
second factor and the lowest account level that votes in an owners' meeting. Imported by
config/settings.py (kept apart so that each settings file reads in one sitting)."""

from __future__ import annotations

import os

from config.env import DEBUG, env_bool, env_list

# OpenID Connect sign-in beside local accounts (gorod.accounts.oidc; docs/adr/0004-city-identity.md):
# GOROD_OIDC_PROVIDERS=city,test names the providers; for each NAME, GOROD_OIDC_<NAME>_ISSUER (the
# discovery document is read from <issuer>/.well-known/openid-configuration), _CLIENT_ID,
# _CLIENT_SECRET, _LABEL (the button), _SCOPES and _LEVELS (claim=value:level rules, e.g.
# "trusted=true:full,email_verified=true:standard"; no rule matching = simplified).
GOROD_OIDC_PROVIDERS: dict[str, dict[str, str]] = {}
for _provider in env_list("GOROD_OIDC_PROVIDERS", ""):
    _prefix = f"GOROD_OIDC_{_provider.upper().replace('-', '_')}_"
    GOROD_OIDC_PROVIDERS[_provider] = {
        "issuer": os.environ.get(_prefix + "ISSUER", "").rstrip("/"),
        "client_id": os.environ.get(_prefix + "CLIENT_ID", ""),
        "client_secret": os.environ.get(_prefix + "CLIENT_SECRET", ""),
        "label": os.environ.get(_prefix + "LABEL", _provider),
        "scopes": os.environ.get(_prefix + "SCOPES", "openid profile email"),
        "levels": os.environ.get(_prefix + "LEVELS", ""),
    }
    if not GOROD_OIDC_PROVIDERS[_provider]["issuer"] or not GOROD_OIDC_PROVIDERS[_provider]["client_id"]:
        raise RuntimeError(f"{_prefix}ISSUER and {_prefix}CLIENT_ID must be set")
    if not DEBUG and not GOROD_OIDC_PROVIDERS[_provider]["issuer"].startswith("https://"):
        # A test or demo provider on plain HTTP is never live with debug off.
        raise RuntimeError(f"{_prefix}ISSUER must be an https:// URL when DJANGO_DEBUG is off")

# Staff second factor (django-otp: TOTP + recovery codes; gorod.accounts.second_factor): staff open
# the console and the staff pages only with it. On whenever debug is off; off in the demo unless set.
GOROD_STAFF_SECOND_FACTOR = env_bool("GOROD_STAFF_SECOND_FACTOR", not DEBUG)
GOROD_STAFF_PATHS = [
    r"/console/",
    r"/housing/admin/",
    r"/[a-z]+/moderation/",
    r"/pets/\d+/moderate/",
    r"/problems/queue/",
    r"/problems/\d+/reroute/",
    r"/rewards/desk/",
    r"/rewards/partner/",
    r"/missions/partner/",
    r"/missions/\d+/import/",
    r"/ideas/projects/\d+/advance/",
    r"/ideas/\d+/decide/",
]
OTP_TOTP_ISSUER = os.environ.get("GOROD_OTP_ISSUER", "gorod")

# The lowest account level that may vote online in an owners' general meeting (gorod.accounts.rights).
# mos.ru asks for a full (state-confirmed) account; standard keeps simplified accounts out.
GOROD_OWNERS_MEETING_MIN_LEVEL = os.environ.get("GOROD_OWNERS_MEETING_MIN_LEVEL", "standard")
