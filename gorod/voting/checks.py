"""Deployment checks of Active Citizen (run by ``manage.py check --deploy``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def no_demo_trustees(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """The demo's trustees have private keys derived from SECRET_KEY, so whoever holds the settings
    holds every share: with them, one operator alone could open pending ballots (ADR 0003)."""
    if settings.DEBUG or not settings.GOROD_BALLOT_DEMO_CUSTODY:
        return []
    return [
        Error(
            "The ballot seal uses the demo's stand-in trustees, yet debug is off.",
            hint="Register real trustees (manage.py ballots_trustee_add), make an epoch "
            "(manage.py ballots_epoch_new), set GOROD_BALLOT_SEAL_PUBLIC_KEY to its public key and "
            "unset GOROD_BALLOT_DEMO_CUSTODY (ADR 0003, 'Key custody').",
            id="voting.E001",
        )
    ]
