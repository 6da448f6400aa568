"""Public pages kept for signed-out visitors (gorod.core.cache.public_cache): served without queries,
each visitor's own CSRF token put in, and never in the way of a signed-in resident."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest
from django.test import Client

from gorod.core.cache import public_cache
from gorod.points import selectors as points
from gorod.voting import services as voting
from gorod.voting.tests.conftest import answers_for, make_poll

pytestmark = pytest.mark.django_db

PUBLIC = ["/", "/voting/", "/rewards/", "/api/v1/polls", "/api/v1/rewards/catalogue"]
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')
ANY_TOKEN = re.compile(r"\b[A-Za-z0-9]{64}\b")


@pytest.mark.parametrize("path", PUBLIC)
def test_second_signed_out_visit_needs_no_query(path, django_assert_num_queries):
    first = Client().get(path)
    assert first.status_code == 200
    with django_assert_num_queries(0):
        second = Client().get(path)
    assert second.status_code == 200
    assert ANY_TOKEN.sub("", second.content.decode()) == ANY_TOKEN.sub("", first.content.decode())


def test_each_visitor_gets_own_working_csrf_token():
    Client().get("/")  # kept
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get("/voting/")
    page = visitor.get("/")  # served from the store
    tokens = set(TOKEN.findall(page.content.decode()))
    assert len(tokens) == 1 and public_cache.CSRF_PLACEHOLDER not in page.content.decode()
    assert f'"X-CSRFToken": "{next(iter(tokens))}"' in page.content.decode()
    changed = visitor.post(
        "/i18n/setlang/", {"language": "ru", "next": "/", "csrfmiddlewaretoken": tokens.pop()}
    )
    assert changed.status_code == 302
    assert Client(enforce_csrf_checks=True).post("/i18n/setlang/", {"language": "ru"}).status_code == 403


def test_language_is_part_of_the_key():
    english = Client().get("/voting/")
    russian = Client(headers={"accept-language": "ru"}).get("/voting/")
    assert english.content != russian.content and russian.headers["Content-Language"] == "ru"


def test_signed_in_resident_sees_own_vote_and_points_at_once(full_resident):
    poll = make_poll(title="Benches or trees")
    for path in PUBLIC:
        Client().get(path)  # signed-out copies kept
    client = Client()
    client.force_login(full_resident)
    assert "You have voted" not in client.get("/voting/").content.decode()
    voting.ballot_cast(poll_id=poll.pk, resident=full_resident, answers=answers_for(poll))
    assert "You have voted" in client.get("/voting/").content.decode()
    home = client.get("/")
    assert home.context["balance"].available == points.balance(full_resident).available > 0


def test_token_holder_is_not_served_the_public_copy(full_resident):
    from gorod.accounts import services as accounts

    poll = make_poll()
    Client().get("/api/v1/polls")
    _token, plain = accounts.api_token_issue(resident=full_resident, name="t")
    voting.ballot_cast(poll_id=poll.pk, resident=full_resident, answers=answers_for(poll))
    mine = Client(HTTP_AUTHORIZATION=f"Bearer {plain}").get("/api/v1/polls?status=open").json()
    assert [p["has_voted"] for p in mine["polls"]] == [True]
    anonymous = Client().get("/api/v1/polls").json()
    assert [p["has_voted"] for p in anonymous["polls"]] == [None]


def test_visitor_with_a_message_gets_a_fresh_page():
    Client().get("/")
    storage = CookieStorage(HttpRequest())
    storage.add(constants.INFO, "You are signed out.")
    visitor = Client()
    visitor.cookies["messages"] = storage._encode(storage._queued_messages)
    page = visitor.get("/")
    assert "You are signed out." in page.content.decode()


def test_off_when_seconds_is_zero(settings):
    settings.GOROD_PUBLIC_CACHE_SECONDS = 0
    Client().get("/voting/")
    make_poll(title="A poll opened just now")
    assert "A poll opened just now" in Client().get("/voting/").content.decode()
