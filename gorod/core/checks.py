"""Deployment checks of gorod's own settings, run by ``manage.py check --deploy``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


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


@register(Tags.caches, deploy=True)
def cache_is_shared(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """Rate-limit counts live in the default cache: one per process multiplies every limit."""
    if settings.DEBUG:
        return []
    backend = str(settings.CACHES.get("default", {}).get("BACKEND", ""))
    if backend.endswith(("locmem.LocMemCache", "dummy.DummyCache")):
        return [
            Warning(
                "The default cache is per process: with several workers every rate limit is multiplied.",
                hint="Set GOROD_CACHE=db (and run manage.py createcachetable) or GOROD_CACHE_BACKEND=Redis.",
                id="gorod.W002",
            )
        ]
    return []
