"""Live results of an open poll wait until the resident has voted (issue 23): the page and the
API answer the same way; after the vote or the close they show as before."""

from __future__ import annotations

import pytest
from django.test import Client

from gorod.accounts.tests.factories import ResidentFactory
from gorod.voting import services

from .conftest import answers_for, make_poll

pytestmark = pytest.mark.django_db

WAIT = "Live results appear after you vote or when the poll closes."


def signed_in(resident) -> Client:
    client = Client()
    client.force_login(resident)
    return client


@pytest.fixture
def live_poll():
    poll = make_poll(live=True)
    services.ballot_cast(poll_id=poll.pk, resident=ResidentFactory(), answers=answers_for(poll))
    return poll


def test_not_voted_sees_no_live_results(live_poll):
    for client in (signed_in(ResidentFactory()), Client()):
        page = client.get(f"/voting/polls/{live_poll.pk}/").content.decode()
        assert 'id="results"' not in page and WAIT in page
        api = client.get(f"/api/v1/polls/{live_poll.pk}/results")
        assert api.status_code == 403 and api.json()["code"] == "results_after_vote"


def test_voted_sees_live_results(live_poll):
    voter = ResidentFactory()
    services.ballot_cast(poll_id=live_poll.pk, resident=voter, answers=answers_for(live_poll))
    client = signed_in(voter)
    page = client.get(f"/voting/polls/{live_poll.pk}/").content.decode()
    assert 'id="results"' in page and WAIT not in page
    assert client.get(f"/api/v1/polls/{live_poll.pk}/results").status_code == 200


def test_closed_poll_shows_live_results_to_everyone(live_poll):
    services.poll_close(poll_id=live_poll.pk)
    for client in (signed_in(ResidentFactory()), Client()):
        page = client.get(f"/voting/polls/{live_poll.pk}/").content.decode()
        assert 'id="results"' in page and WAIT not in page
        assert client.get(f"/api/v1/polls/{live_poll.pk}/results").status_code == 200
