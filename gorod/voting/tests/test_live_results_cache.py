"""Live results for residents who voted (issue 29): the running tally is the mix's, counted after
each mixed batch and not by readers; the document is rendered once and shared by every voter,
while whether this resident may read it is still checked on each request."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from gorod.accounts.tests.factories import ResidentFactory
from gorod.voting import mix, services

from .conftest import answers_for, make_poll

pytestmark = pytest.mark.django_db


def _voter(poll, first: int = 0) -> Client:
    resident = ResidentFactory(level="full")
    services.ballot_cast(poll_id=poll.pk, resident=resident, answers=answers_for(poll, first))
    client = Client()
    client.force_login(resident)
    return client


def _read(client: Client, poll) -> tuple[dict, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/api/v1/polls/{poll.pk}/results")
    assert response.status_code == 200, response.content
    return response.json(), [q["sql"] for q in queries.captured_queries]


def _counts_ballots(queries: list[str]) -> bool:
    return any("voting_ballot" in sql for sql in queries)


@pytest.fixture
def live_poll(django_capture_on_commit_callbacks):
    poll = make_poll(live=True)
    voters = [_voter(poll, n % 3) for n in range(10)]
    with django_capture_on_commit_callbacks(execute=True):
        assert mix.ballots_mix(poll_id=poll.pk) == 10
    poll.voters = voters  # type: ignore[attr-defined]
    return poll


def test_voters_share_the_mix_tally_and_one_rendered_document(live_poll):
    first, first_queries = _read(live_poll.voters[0], live_poll)
    second, second_queries = _read(live_poll.voters[1], live_poll)
    assert first == second and first["ballots"] == 10 and first["final"] is False
    # the mix counted after its commit: no reader counts the ballots, and the second reader
    # neither renders again nor reads the other answers
    assert not _counts_ballots(first_queries) and not _counts_ballots(second_queries)
    assert len(second_queries) < len(first_queries)
    assert not any("voting_otheranswer" in sql for sql in second_queries)
    # whether this reader may see it: the poll's row and their participation in one query, and
    # no role lookup for a city poll
    own = [sql for sql in second_queries if "voting_" in sql]
    assert len(own) == 1 and "voting_participation" in own[0], own
    assert not any("auth_group" in sql for sql in second_queries)


def test_a_resident_who_has_not_voted_is_still_refused(live_poll):
    _read(live_poll.voters[0], live_poll)  # the document is kept
    stranger = Client()
    stranger.force_login(ResidentFactory(level="full"))
    for client in (stranger, Client()):
        response = client.get(f"/api/v1/polls/{live_poll.pk}/results")
        assert response.status_code == 403 and response.json()["code"] == "results_after_vote"


def test_each_mixed_batch_shows_at_once(live_poll, django_capture_on_commit_callbacks):
    before, _ = _read(live_poll.voters[0], live_poll)
    more = [_voter(live_poll, 1) for _ in range(10)]
    unchanged, _ = _read(more[0], live_poll)  # sealed ballots are not counted before the mix
    assert unchanged == before
    with django_capture_on_commit_callbacks(execute=True):
        assert mix.ballots_mix(poll_id=live_poll.pk) == 10
    after, queries = _read(live_poll.voters[0], live_poll)
    assert after["ballots"] == 20 and not _counts_ballots(queries)
    assert after["questions"] != before["questions"]


def test_a_reader_counts_only_when_the_mix_tally_is_missing(live_poll):
    from django.core.cache import cache

    cache.clear()  # an evicted or lost tally
    counted, queries = _read(live_poll.voters[0], live_poll)
    assert counted["ballots"] == 10 and _counts_ballots(queries)
    again, queries = _read(live_poll.voters[2], live_poll)
    assert again == counted and not _counts_ballots(queries)


def test_closing_turns_the_shared_document_over(live_poll, django_capture_on_commit_callbacks):
    _read(live_poll.voters[0], live_poll)
    with django_capture_on_commit_callbacks(execute=True):
        services.poll_close(poll_id=live_poll.pk)
    closed, _ = _read(live_poll.voters[0], live_poll)
    assert closed["status"] == "closed" and closed["ballots"] == 10
