"""How many queries a ballot costs through the API, pinned so that it cannot creep back up.

A ballot through ``POST /api/v1/polls/<id>/ballot`` was ~24 queries. On PostgreSQL the voting
side is now: the token lookup (shared by the rate limit and the auth), the transaction, and one
statement that locks the poll for share, checks it is still open and inserts participation
and the sealed pending ballot (the mix writes ballot and picks later, in batches). The open poll's questions and targeting are read once per process (the first
ballot, which also reads the poll on its own).
The points award (``gorod.points.services.award``) is counted apart: it has its own budget.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conftest import is_postgres
from gorod.accounts import services as accounts_services
from gorod.accounts.tests.factories import ResidentFactory
from gorod.points import selectors as points_selectors
from gorod.voting.models import Ballot, Participation, PendingBallot

from .conftest import make_poll
from .test_api import body_for

pytestmark = pytest.mark.django_db

# token, BEGIN (a savepoint inside the test's transaction), poll lock and insert, COMMIT
VOTING_QUERIES_POSTGRESQL = 4
# SQLite: participation under its own savepoint (2 more), then the pending ballot
VOTING_QUERIES_SQLITE = 8
# gorod.points award for a resident's first points (wallet and issuance shard created): a
# ceiling from before the ledger's own optimisation, so it only has to go down.
AWARD_QUERIES_MAX = 18


def _signed_in_client(poll_id: int) -> Client:
    resident = ResidentFactory(level="standard")
    _token, plain = accounts_services.api_token_issue(resident=resident, name="queries")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {plain}")
    # an app reads the poll before voting; that first use also notes the token's last use
    assert client.get(f"/api/v1/polls/{poll_id}").status_code == 200
    return client


def _cast(poll, **headers: str) -> tuple[list[str], dict]:
    body = body_for(poll, 1, (0, 2))
    url = f"/api/v1/polls/{poll.pk}/ballot"
    # the first ballot in this process reads the open poll's questions and targeting
    assert _signed_in_client(poll.pk).post(url, body, "application/json").status_code == 201
    client = _signed_in_client(poll.pk)
    with CaptureQueriesContext(connection) as captured:
        response = client.post(url, body, content_type="application/json", **headers)
    assert response.status_code == 201, response.content
    return [q["sql"] for q in captured.captured_queries], response.json()


def _voting_budget() -> int:
    return VOTING_QUERIES_POSTGRESQL if is_postgres() else VOTING_QUERIES_SQLITE


def test_ballot_without_points_costs_a_fixed_number_of_queries():
    poll = make_poll(reward_action="")
    sqls, receipt = _cast(poll)
    assert receipt["points"] == 0
    assert len(sqls) == _voting_budget(), "\n".join(s[:120] for s in sqls)
    assert Participation.objects.filter(poll=poll).count() == 2
    assert PendingBallot.objects.filter(poll=poll).count() == 2
    assert not Ballot.objects.filter(poll=poll).exists()


def test_ballot_with_points_stays_within_voting_plus_award_budget():
    poll = make_poll()
    sqls, receipt = _cast(poll)
    assert receipt["points"] == 20
    award = [s for s in sqls if '"points_' in s]
    assert award, "the award ran inside the ballot's transaction"
    outside_award = [
        s for s in sqls if '"points_' not in s and not s.startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    ]
    # token lookup, poll lock with the insert (PostgreSQL); poll, participation, ballot, picks
    # apart on SQLite
    assert len(outside_award) == (2 if is_postgres() else 4), "\n".join(s[:120] for s in outside_award)
    assert len(sqls) <= _voting_budget() + AWARD_QUERIES_MAX, "\n".join(s[:120] for s in sqls)
    assert points_selectors.balance(Participation.objects.filter(poll=poll).last().resident).balance == 20


def test_an_idempotency_key_adds_only_its_claim_its_answer_and_the_actions_savepoint():
    poll = make_poll(reward_action="")
    sqls, _receipt = _cast(poll, HTTP_IDEMPOTENCY_KEY="queries-1")
    # the request's own transaction, the claim (one insert, no savepoint of its own: a taken key
    # inserts nothing), the action nested under a savepoint (a refusal is stored, not undone),
    # and the answer stored on the claim
    assert len(sqls) == _voting_budget() + 4, "\n".join(s[:120] for s in sqls)
    assert sum("idempotencyrecord" in s for s in sqls) == 2


def test_ballot_with_plain_points_on_postgresql_writes_them_in_its_own_statement():
    """Every issuance shard open and the rule plain: the award rides on the ballot's statement
    (``points_award_one``), so a ballot with points costs what one without does."""
    if not is_postgres():
        pytest.skip("the one-statement award is PostgreSQL's")
    from django.conf import settings

    from gorod.points import accounts
    from gorod.points.models import Programme

    programme = Programme.objects.get(code="active_citizen")
    for shard in range(settings.POINTS_ISSUANCE_SHARDS):
        accounts.issuance_of(programme, shard=shard)
    from django.utils import timezone

    from gorod.points import services as points_services

    # the rule's plan, as this process keeps it after its first ballot
    points_services.plain_award_forget(programme="active_citizen", action="vote")
    points_services.plain_award(
        resident=ResidentFactory(level="standard"),
        programme="active_citizen",
        action="vote",
        now=timezone.now(),
    )
    poll = make_poll()
    sqls, receipt = _cast(poll)
    assert receipt["points"] == 20
    assert len(sqls) == VOTING_QUERIES_POSTGRESQL, "\n".join(s[:120] for s in sqls)
    assert sum("points_award_one" in s for s in sqls) == 1
    assert points_selectors.balance(Participation.objects.filter(poll=poll).last().resident).balance == 20
