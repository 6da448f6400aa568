"""Deployment checks of gorod's own settings, run by ``manage.py check --deploy``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def site_url_is_set(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """E-mails and feeds link to GOROD_SITE_URL; without it they would point nowhere useful."""
    if settings.DEBUG:
        return []
    url = str(getattr(settings, "GOROD_SITE_URL", "") or "")
    if not url.startswith("https://") or url.rstrip("/") == "https:/":
        return [
            Error(
                "GOROD_SITE_URL must be the site's public https:// address when debug is off.",
                hint="Set GOROD_SITE_URL=https://gorod.example.city in the environment (README, Configuration).",
                id="gorod.E001",
            )
        ]
    return []
