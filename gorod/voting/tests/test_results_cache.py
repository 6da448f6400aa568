"""Anonymous readers' copies of published results (gorod.core.cache.public_responses): served
without the stack, the same as the stack's answer, never to a signed-in reader, and dropped on
the events that change the document."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from gorod.core.cache import public_responses
from gorod.voting import services
from gorod.voting.models import OtherAnswer
from gorod.voting.tests.conftest import answers_for, make_poll

pytestmark = pytest.mark.django_db

# Headers each answer sets for itself; every other header of a copy is the stack's.
OWN = {"X-Request-ID"}


def _published(resident_factory, other: str = ""):
    poll = make_poll()
    for n in range(3):
        services.ballot_cast(
            poll_id=poll.pk, resident=resident_factory(), answers=answers_for(poll, n % 2, other=other)
        )
    services.poll_close(poll_id=poll.pk)
    services.poll_results_publish(poll_id=poll.pk)
    return poll


@pytest.fixture
def published(db):
    from gorod.accounts.tests.factories import ResidentFactory

    return _published(lambda: ResidentFactory(level="full"))


def _get(client: Client, path: str, **headers: str):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **headers)
    return response, len(queries)


def _headers(response) -> dict[str, str]:
    return {k: v for k, v in response.headers.items() if k not in OWN}


def test_second_anonymous_read_is_the_first_without_the_stack(published):
    path = f"/api/v1/polls/{published.pk}/results"
    first, first_queries = _get(Client(), path)
    second, second_queries = _get(Client(), path)
    assert first.status_code == second.status_code == 200
    assert first_queries > 0 and second_queries == 0
    assert second.content == first.content and second.json()["final"] is True
    assert _headers(second) == _headers(first)
    for name in ("ETag", "Content-Language", "Content-Security-Policy", "X-Content-Type-Options", "Vary"):
        assert second.headers.get(name), name
    assert second["X-Request-ID"] != first["X-Request-ID"]
    assert len(public_responses._store) == 1


def test_if_none_match_gets_304_with_the_same_headers(published):
    path = f"/api/v1/polls/{published.pk}/results"
    first = Client().get(path)
    again = Client().get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == first["ETag"] and again["Vary"] == first["Vary"]
    changed = Client().get(path, HTTP_IF_NONE_MATCH='"other"')
    assert changed.status_code == 200 and changed.content == first.content


def test_each_language_has_its_own_copy(published):
    path = f"/api/v1/polls/{published.pk}/results"
    russian = Client().get(path, HTTP_ACCEPT_LANGUAGE="ru")
    english = Client().get(path, HTTP_ACCEPT_LANGUAGE="en")
    english_again, queries = _get(Client(), path, HTTP_ACCEPT_LANGUAGE="en")
    assert russian["Content-Language"] == "ru" and english["Content-Language"] == "en"
    assert english_again["Content-Language"] == "en" and queries == 0
    assert len(public_responses._store) == 2


def test_signed_in_or_cookie_or_token_requests_are_never_served_nor_kept(published, resident, api_client):
    """Never the anonymous copy: a session or any cookie goes through the stack every time; a
    bearer token gets a copy of its own, only through its pass (test_results_readers.py)."""
    path = f"/api/v1/polls/{published.pk}/results"
    signed_in = Client()
    signed_in.force_login(resident)
    for client, headers in ((signed_in, {}), (api_client, {}), (Client(), {"HTTP_COOKIE": "a=b"})):
        response, queries = _get(client, path, **headers)
        assert response.status_code == 200 and queries > 0
    assert [key[-1] for key in public_responses._store] == ["reader"]
    Client().get(path)  # kept now, for anonymous readers only
    for client, headers in ((signed_in, {}), (Client(), {"HTTP_COOKIE": "a=b"})):
        response, queries = _get(client, path, **headers)
        assert queries > 0 and "ETag" not in response
    assert "private" in api_client.get(path)["Cache-Control"]  # the reader's copy, not the anonymous one


def test_only_public_200_documents_are_kept():
    poll = make_poll(status="open")
    refused = Client().get(f"/api/v1/polls/{poll.pk}/results")
    assert refused.status_code == 403
    assert Client().get(f"/api/v1/polls/{poll.pk}").status_code == 200  # not a marked document
    assert Client().get("/api/v1/polls/999999/results").status_code == 404
    assert public_responses._store == {}


def test_archiving_and_moderating_drop_the_copy(published, operator):
    path = f"/api/v1/polls/{published.pk}/results"
    assert Client().get(path).json()["status"] == "published"
    services.poll_archive(poll_id=published.pk)
    response, queries = _get(Client(), path)
    assert response.json()["status"] == "archived" and queries > 0


def test_an_approved_other_answer_shows_at_once(operator):
    from gorod.accounts.tests.factories import ResidentFactory

    poll = _published(lambda: ResidentFactory(level="full"), other="A fountain")
    path = f"/api/v1/polls/{poll.pk}/results"
    assert Client().get(path).json()["other_answers"] == []
    answer = OtherAnswer.objects.filter(poll=poll).first()
    services.other_answer_moderate(answer_id=answer.pk, approve=True, actor=operator)
    assert Client().get(path).json()["other_answers"] == ["A fountain"]


def test_zero_seconds_turns_it_off(published, settings):
    settings.GOROD_PUBLIC_CACHE_SECONDS = 0
    path = f"/api/v1/polls/{published.pk}/results"
    Client().get(path)
    response, queries = _get(Client(), path)
    assert response.status_code == 200 and queries > 0 and public_responses._store == {}


def test_scheme_and_host_have_their_own_copies(published, settings):
    """Security headers depend on the scheme (HSTS on https only) and a bad Host must still be
    refused: a copy is only served to requests like the one that produced it."""
    settings.ALLOWED_HOSTS = ["testserver", "other.example"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 3600
    path = f"/api/v1/polls/{published.pk}/results"
    plain = Client().get(path)
    secure = Client().get(path, HTTP_X_FORWARDED_PROTO="https")
    secure_again, queries = _get(Client(), path, HTTP_X_FORWARDED_PROTO="https")
    assert "Strict-Transport-Security" not in plain and queries == 0
    assert secure["Strict-Transport-Security"] == secure_again["Strict-Transport-Security"]
    assert Client().get(path, HTTP_HOST="evil.example").status_code == 400
    assert Client().get(path, HTTP_HOST="other.example").status_code == 200
    assert len(public_responses._store) == 3
