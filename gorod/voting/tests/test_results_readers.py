"""Signed-in readers' passes to live results (gorod.core.cache.public_responses, readers=True):
a voter's second read is served without the stack, the same as the stack's answer; nobody else
gets it through their pass, and a revoked token, a new mixed batch or a closed poll end it."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from gorod.accounts import services as accounts_services
from gorod.accounts.tests.factories import ResidentFactory
from gorod.core.cache import public_responses
from gorod.voting import mix, services
from gorod.voting.tests.conftest import answers_for, make_poll

pytestmark = pytest.mark.django_db

OWN = {"X-Request-ID"}


def _reader(voted_in=None, n: int = 0):
    resident = ResidentFactory(level="full")
    if voted_in is not None:
        services.ballot_cast(poll_id=voted_in.pk, resident=resident, answers=answers_for(voted_in, n % 3))
    token, plain = accounts_services.api_token_issue(resident=resident, name="app")
    return resident, token, Client(HTTP_AUTHORIZATION=f"Bearer {plain}")


def _get(client: Client, path: str, **headers: str):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **headers)
    return response, len(queries)


@pytest.fixture
def live_poll(db):
    poll = make_poll(live=True)
    for n in range(10):
        _reader(poll, n)
    with transaction.atomic():
        mix.ballots_mix(poll_id=poll.pk)
    return poll


def test_a_voters_second_read_is_the_first_without_the_stack(live_poll):
    _resident, _token, client = _reader(live_poll)
    path = f"/api/v1/polls/{live_poll.pk}/results"
    first, first_queries = _get(client, path)
    second, second_queries = _get(client, path)
    assert first.status_code == second.status_code == 200
    assert first_queries > 0 and second_queries == 0
    assert second.content == first.content and second.json()["final"] is False
    assert {k: v for k, v in second.headers.items() if k not in OWN} == {
        k: v for k, v in first.headers.items() if k not in OWN
    }
    assert "private" in second["Cache-Control"]  # still a signed-in answer: kept out of shared caches
    again = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_only_the_token_that_was_let_through_is_served(live_poll):
    _resident, _token, voter = _reader(live_poll)
    path = f"/api/v1/polls/{live_poll.pk}/results"
    assert voter.get(path).status_code == 200
    _other, _other_token, not_voted = _reader()
    for _ in range(2):  # the document is kept, but this resident has no pass: the stack refuses
        response, queries = _get(not_voted, path)
        assert response.status_code == 403 and queries > 0
    _another, _t, other_voter = _reader(live_poll, 1)
    response, queries = _get(other_voter, path)  # another voter: checked once, then served
    assert response.status_code == 200 and queries > 0
    assert _get(other_voter, path)[1] == 0
    forged = Client(HTTP_AUTHORIZATION="Bearer gor_not-a-token")
    response, queries = _get(forged, path)
    assert response.status_code != 200 and queries > 0
    assert len(public_responses._passes) == 2


def test_a_revoked_token_is_refused_at_once(live_poll):
    resident, token, client = _reader(live_poll)
    path = f"/api/v1/polls/{live_poll.pk}/results"
    assert client.get(path).status_code == 200
    assert _get(client, path)[1] == 0
    accounts_services.api_token_revoke(resident=resident, token_id=token.pk)
    response, queries = _get(client, path)
    assert response.status_code != 200 and queries > 0


def test_a_new_batch_and_the_close_reach_readers_at_once(live_poll):
    _resident, _token, client = _reader(live_poll)
    path = f"/api/v1/polls/{live_poll.pk}/results"
    before = client.get(path).json()
    for n in range(10):
        _reader(live_poll, n)
    with transaction.atomic():
        mix.ballots_mix(poll_id=live_poll.pk)
    after, queries = _get(client, path)
    assert queries > 0 and after.json()["ballots"] > before["ballots"]
    services.poll_close(poll_id=live_poll.pk)
    closed, queries = _get(client, path)
    assert queries > 0 and closed.json()["status"] == "closed"


def test_zero_seconds_turns_passes_off(live_poll, settings):
    settings.GOROD_PUBLIC_CACHE_SECONDS = 0
    _resident, _token, client = _reader(live_poll)
    path = f"/api/v1/polls/{live_poll.pk}/results"
    client.get(path)
    response, queries = _get(client, path)
    assert response.status_code == 200 and queries > 0
    assert public_responses._passes == {}
