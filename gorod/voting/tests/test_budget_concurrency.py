"""Eight simultaneous ballots from one resident in a budget round, on PostgreSQL: exactly one
counts, as for every poll (the round's ballot is the poll engine's)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from conftest import postgres_only
from gorod.accounts.tests.factories import ResidentFactory
from gorod.voting import errors
from gorod.voting import services as poll_services
from gorod.voting.models import Participation, PendingBallot

from .test_budgets import _answer, _to_voting, budget_round, district  # noqa: F401  (fixtures)

pytestmark = pytest.mark.usefixtures("points_defaults")


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_eight_concurrent_budget_ballots_from_one_resident_count_once(operator, budget_round, district):  # noqa: F811
    budget_round = _to_voting(budget_round, operator)
    resident = ResidentFactory(home_district=district)
    answers = _answer(budget_round, "Playground", "Lighting")
    barrier = threading.Barrier(8)
    outcomes: list[str] = []
    lock = threading.Lock()

    def vote() -> None:
        try:
            barrier.wait()
            poll_services.ballot_cast(poll_id=budget_round.poll_id, resident=resident, answers=answers)
            result = "ok"
        except errors.AlreadyVoted:
            result = "already_voted"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=vote) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["already_voted"] * 7 + ["ok"]
    assert Participation.objects.filter(poll_id=budget_round.poll_id, resident=resident).count() == 1
    assert PendingBallot.objects.filter(poll_id=budget_round.poll_id).count() == 1
