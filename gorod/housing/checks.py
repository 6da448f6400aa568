"""Deployment checks of Electronic Home (run by ``manage.py check --deploy``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def no_pretend_payment_provider(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """A provider that moves no money (the demo's fake bank) lets any resident mark a bill paid
    and collect the cashback; it must never be live in production, however it got configured."""
    from gorod.housing import providers

    if settings.DEBUG:
        return []
    return [
        Error(
            f"The payment provider {code!r} moves no money, yet it is configured with debug off.",
            hint="Remove it from GOROD_PAYMENT_PROVIDERS and configure a real bank's adapter "
            "(README, 'Plugging in a bank').",
            id="housing.E001",
        )
        for code, adapter in providers.configured().items()
        if not getattr(adapter, "moves_money", False)
    ]
