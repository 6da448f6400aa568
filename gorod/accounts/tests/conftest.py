"""Fixtures of the accounts tests: a real OpenID provider on 127.0.0.1 (gorod/accounts/tests/oidc_provider.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from gorod.accounts.tests import oidc_provider


@pytest.fixture(scope="session")
def oidc_issuer() -> Iterator[str]:
    """The provider, once per test worker, redirecting back to Django's test client's host."""
    with oidc_provider.running_provider(redirect_base="http://testserver") as issuer:
        yield issuer


@pytest.fixture
def city_id(settings: Any, oidc_issuer: str) -> Iterator[str]:
    """gorod configured with the provider as "test", at the real time; yields its issuer."""
    settings.GOROD_OIDC_PROVIDERS = oidc_provider.provider_settings(oidc_issuer)
    with oidc_provider.at_real_time():
        yield oidc_issuer
