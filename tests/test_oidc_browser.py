"""In chromium, against the real OpenID provider: a resident with a local account connects the
city's identity from their profile and gets the level it confirms, signs out here and at the
provider, then another resident signs in with the provider alone and lands with the mapped level."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from gorod.accounts.models import ProviderIdentity, Resident
from gorod.accounts.tests import oidc_provider
from gorod.accounts.tests.factories import ResidentFactory
from gorod.web.tests.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def city_id_live(live_server: Any, settings: Any) -> Iterator[str]:
    with (
        oidc_provider.running_provider(redirect_base=live_server.url) as issuer,
        oidc_provider.at_real_time(),
    ):
        settings.GOROD_OIDC_PROVIDERS = oidc_provider.provider_settings(issuer)
        yield issuer


def at_provider(page: Any, issuer: str, login: str) -> None:
    """The provider's own pages: sign in (any password), then consent."""
    page.wait_for_url(f"{issuer}/**")
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("whatever")
    page.get_by_role("button", name="Sign-in").click()
    page.get_by_role("button", name="Continue").click()


def test_connect_sign_out_at_the_provider_and_sign_in_with_it(browser_page, city_id_live, live_server):
    page = browser_page
    issuer = city_id_live
    boris = ResidentFactory(username="boris", email="boris@example.test", level="simplified")

    # boris, signed in with his password, connects the city's identity from his profile
    sign_in(page, "boris")
    page.goto("/accounts/profile/")
    page.get_by_role("button", name="Connect City ID (test)").click()
    at_provider(page, issuer, "boris")
    page.wait_for_url(f"{live_server.url}/accounts/profile/")
    assert "connected; it confirms a full account" in page.get_by_test_id("provider-linked").inner_text()
    boris.refresh_from_db()
    assert boris.level == "full"
    assert ProviderIdentity.objects.get(provider="test", subject="boris").resident_id == boris.pk

    # signing out here sends him to the provider, which ends its session too
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{issuer}/session/end**")
    page.get_by_role("button", name="Yes, sign me out").click()
    page.wait_for_url(f"{live_server.url}/**")
    expect(page.get_by_role("banner").get_by_role("link", name="Sign in")).to_be_visible()

    # ivan has no local account: the provider alone signs him in, as a full account
    page.goto("/accounts/sign-in/")
    page.get_by_role("button", name="City ID (test)").click()
    at_provider(page, issuer, "ivan")  # the provider asks again: its session ended above
    # a new account, made by the provider, is asked for consent to processing (152-FZ) first
    page.wait_for_url(f"{live_server.url}/accounts/consent/**")
    page.get_by_label("I agree to the processing of my personal data").check()
    page.get_by_role("button", name="Agree and continue").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto("/accounts/profile/")
    assert "full" in page.locator("main").inner_text()
    ivan = Resident.objects.get(provider_identities__subject="ivan")
    assert ivan.level == "full" and ivan.first_name == "Ivan"
