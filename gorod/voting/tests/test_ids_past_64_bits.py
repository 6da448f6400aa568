"""An id past a 64-bit integer, from a URL, is an id of nothing: 404 or the first page, never a
driver's overflow (a 500 on SQLite, found by schemathesis on the ballot's hand-written SQL)."""

from __future__ import annotations

import pytest
from django.test import Client

from gorod.voting.models import Participation

pytestmark = pytest.mark.django_db

HUGE = 6942114068728205645253897558687744


def test_a_ballot_for_a_poll_id_past_64_bits_is_not_found(api_client):
    response = api_client.post(
        f"/api/v1/polls/{HUGE}/ballot",
        {"answers": [{"question_id": 1, "option_ids": [1]}]},
        content_type="application/json",
    )
    assert response.status_code == 404 and response.json()["code"] == "poll_not_found"
    assert not Participation.objects.exists()


def test_a_statement_cursor_past_64_bits_or_not_ascii_is_the_first_page(resident):
    client = Client()
    client.force_login(resident)
    for cursor in (str(HUGE), "²", "12a"):
        assert client.get("/points/", {"cursor": cursor}).status_code == 200
