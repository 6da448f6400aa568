"""Sign-in with a real OpenID provider (oidc-provider on 127.0.0.1): the whole authorization code
flow with PKCE over HTTP, the level mapped from its claims, linking to an existing account, one
account per resident, RP-initiated logout, and refusals in the real flow (state, nonce)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
from django.test import Client

from gorod.accounts import services
from gorod.accounts.errors import LevelConfirmedByProvider
from gorod.accounts.models import LevelChange, LevelSource, ProviderIdentity, Resident
from gorod.accounts.tests import oidc_provider
from gorod.accounts.tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db

GOROD = "http://testserver"
CALLBACK = f"{GOROD}/accounts/oidc/test/callback/"


def start(client: Client, path: str = "/accounts/oidc/test/sign-in/") -> str:
    response = client.post(path)
    assert response.status_code == 302, response.content[:500]
    return response["Location"]


def sign_in_at_provider(
    client: Client,
    login: str,
    *,
    browser: requests.Session | None = None,
    path: str = "/accounts/oidc/test/sign-in/",
):
    """The resident's round trip: gorod -> provider (sign in, consent) -> gorod's callback."""
    authorize = start(client, path)
    query = parse_qs(urlsplit(authorize).query)
    # the request carries PKCE (S256), a state and a nonce
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"][0]
    assert query["state"][0] and query["nonce"][0] and query["response_type"] == ["code"]
    back = oidc_provider.through_provider(
        browser or requests.Session(), authorize, login=login, stop_at=CALLBACK
    )
    return client.get(oidc_provider.local_path(back))


def signed_in_as(client: Client) -> Resident | None:
    pk = client.session.get("_auth_user_id")
    return Resident.objects.get(pk=pk) if pk else None


def test_first_sign_in_creates_one_account_with_the_mapped_level(city_id):
    client = Client()
    response = sign_in_at_provider(client, "ivan")
    assert response.status_code == 302 and response["Location"] == "/"
    ivan = signed_in_as(client)
    assert ivan is not None and ivan.level == "full"  # trusted=true -> full
    assert (ivan.first_name, ivan.last_name, ivan.email) == ("Ivan", "Petrov", "ivan@city-id.test")
    assert not ivan.has_usable_password()
    identity = ProviderIdentity.objects.get(resident=ivan)
    assert (identity.provider, identity.subject, identity.level) == ("test", "ivan", "full")
    assert identity.level_claims == {"trusted": True, "email_verified": True}
    change = LevelChange.objects.get(resident=ivan)
    assert (change.source, change.from_level, change.to_level, change.changed_by) == (
        LevelSource.PROVIDER,
        "simplified",
        "full",
        None,
    )
    # signing in again finds the same resident: one account, one wallet
    again = Client()
    sign_in_at_provider(again, "ivan")
    assert signed_in_as(again) == ivan
    assert Resident.objects.filter(provider_identities__subject="ivan").count() == 1


def test_the_level_is_read_again_at_each_sign_in(city_id, settings):
    client = Client()
    sign_in_at_provider(client, "olga")  # e-mail verified, not trusted -> standard
    olga = signed_in_as(client)
    assert olga.level == "standard"
    # the city changes its mapping: nothing grants standard any more
    settings.GOROD_OIDC_PROVIDERS = oidc_provider.provider_settings(city_id, levels="trusted=true:full")
    sign_in_at_provider(Client(), "olga")
    olga.refresh_from_db()
    assert olga.level == "simplified"
    assert list(
        LevelChange.objects.filter(resident=olga).order_by("pk").values_list("to_level", "source")
    ) == [
        ("standard", "provider"),
        ("simplified", "provider"),
    ]


def test_a_provider_confirmed_level_cannot_be_raised_by_hand(city_id):
    client = Client()
    sign_in_at_provider(client, "olga")
    olga = signed_in_as(client)
    operator = ResidentFactory(roles=["operator"])
    with pytest.raises(LevelConfirmedByProvider):
        services.resident_level_change(resident=olga, level="full", actor=operator, reason="asked nicely")
    olga.refresh_from_db()
    assert olga.level == "standard"
    assert not LevelChange.objects.filter(resident=olga, source=LevelSource.OPERATOR).exists()
    # lowering (a suspected fraud) stays possible, with its audit trail
    services.resident_level_change(resident=olga, level="simplified", actor=operator, reason="fraud check")
    olga.refresh_from_db()
    assert olga.level == "simplified"


def test_a_signed_in_resident_links_the_provider_and_keeps_one_wallet(city_id):
    boris = ResidentFactory(username="boris", email="boris@example.test", level="simplified")
    client = Client()
    client.force_login(boris)
    response = sign_in_at_provider(client, "boris", path="/accounts/oidc/test/connect/")
    assert response.status_code == 302 and response["Location"] == "/accounts/profile/"
    identity = ProviderIdentity.objects.get(provider="test", subject="boris")
    assert identity.resident == boris
    boris.refresh_from_db()
    assert boris.level == "full"  # the provider's trusted flag
    # from now on, signing in at the provider is signing in as boris: no second account
    residents = Resident.objects.count()
    elsewhere = Client()
    sign_in_at_provider(elsewhere, "boris")
    assert signed_in_as(elsewhere) == boris
    assert Resident.objects.count() == residents


def test_an_unverified_email_claim_never_links_to_the_account_that_has_it(city_id):
    """The provider's "boris" claims boris@example.test without having verified it."""
    boris = ResidentFactory(username="boris", email="boris@example.test")
    client = Client()
    sign_in_at_provider(client, "boris")
    newcomer = signed_in_as(client)
    assert newcomer is not None and newcomer != boris
    assert newcomer.email is None  # not theirs to claim
    assert not ProviderIdentity.objects.filter(resident=boris).exists()


def test_a_verified_email_of_an_existing_account_asks_to_link_instead_of_a_second_account(city_id):
    ResidentFactory(username="anna-local", email="anna@city-id.test")
    residents = Resident.objects.count()
    client = Client()
    response = sign_in_at_provider(client, "anna")
    assert response.status_code == 409
    assert "connect the identity provider from your profile" in response.content.decode()
    assert signed_in_as(client) is None
    assert Resident.objects.count() == residents
    assert not ProviderIdentity.objects.exists()


def test_an_identity_linked_to_another_account_is_refused(city_id):
    sign_in_at_provider(Client(), "ivan")
    ivan = ProviderIdentity.objects.get(subject="ivan").resident
    other = ResidentFactory(level="simplified")
    client = Client()
    client.force_login(other)
    response = sign_in_at_provider(client, "ivan", path="/accounts/oidc/test/connect/")
    assert response.status_code == 409
    assert ProviderIdentity.objects.get(subject="ivan").resident == ivan
    other.refresh_from_db()
    assert other.level == "simplified" and not other.provider_identities.exists()


def test_sign_out_ends_the_session_at_the_provider_too(city_id):
    browser = requests.Session()
    client = Client()
    sign_in_at_provider(client, "ivan", browser=browser)
    response = client.post("/accounts/sign-out/")
    assert signed_in_as(client) is None
    end_session = response["Location"]
    assert end_session.startswith(f"{city_id}/session/end")
    query = parse_qs(urlsplit(end_session).query)
    assert query["post_logout_redirect_uri"] == [f"{GOROD}/"] and query["id_token_hint"][0]
    # the provider asks to confirm, then sends the browser back to gorod
    page = browser.get(end_session, timeout=10)
    action, form = oidc_provider._form(page.text)
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form))  # its hidden xsrf token
    fields["logout"] = "yes"
    done = browser.post(urljoin(end_session, action), data=fields, allow_redirects=False, timeout=10)
    assert done.is_redirect and done.headers["Location"].startswith(f"{GOROD}/")
    # the provider has forgotten the resident: a new sign-in asks for the login again
    again = start(Client())
    page = browser.get(again, timeout=10, allow_redirects=True)
    assert 'name="login"' in page.text


def test_a_forged_state_is_refused_and_nothing_happens(city_id):
    client = Client()
    authorize = start(client)
    back = oidc_provider.through_provider(requests.Session(), authorize, login="ivan", stop_at=CALLBACK)
    forged = back.replace("state=", "state=forged")
    response = client.get(oidc_provider.local_path(forged))
    assert response.status_code == 400
    assert signed_in_as(client) is None
    assert not Resident.objects.filter(provider_identities__subject="ivan").exists()


def test_a_wrong_nonce_is_refused_and_nothing_happens(city_id):
    client = Client()
    authorize = start(client)
    state = parse_qs(urlsplit(authorize).query)["state"][0]
    back = oidc_provider.through_provider(requests.Session(), authorize, login="ivan", stop_at=CALLBACK)
    # the ID token carries the nonce of the request; the session now expects another one
    session = client.session
    entry = session[f"_state_test_{state}"]
    entry["data"]["nonce"] = "another-nonce"
    session[f"_state_test_{state}"] = entry
    session.save()
    response = client.get(oidc_provider.local_path(back))
    assert response.status_code == 400
    assert signed_in_as(client) is None
    assert not ProviderIdentity.objects.exists()


def test_without_a_provider_configured_the_sign_in_page_offers_none(client, settings):
    settings.GOROD_OIDC_PROVIDERS = {}
    page = client.get("/accounts/sign-in/")
    assert page.status_code == 200 and "/accounts/oidc/" not in page.content.decode()
    assert client.post("/accounts/oidc/test/sign-in/").status_code == 404


def test_the_profile_says_what_the_level_allows_and_how_to_raise_it(city_id):
    resident = ResidentFactory(level="simplified")
    client = Client()
    client.force_login(resident)
    page = client.get("/accounts/profile/").content.decode()
    assert "vote in your building&#x27;s owners&#x27; general meetings" in page
    assert "not yet" in page
    assert "Connect City ID (test) below" in page
    sign_in_at_provider(client, "olga", path="/accounts/oidc/test/connect/")
    page = client.get("/accounts/profile/").content.decode()
    assert "confirmed by City ID (test)" in page and "not yet" not in page
