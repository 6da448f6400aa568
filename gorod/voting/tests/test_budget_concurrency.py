"""Eight simultaneous ballots from one resident in a budget round, on PostgreSQL: exactly one
counts, as for every poll (the round's ballot is the poll engine's)."""

from __future__ import annotations

import pytest

from conftest import postgres_only
from gorod.accounts.tests.factories import ResidentFactory
from gorod.voting import services as poll_services
from gorod.voting.models import Participation, PendingBallot

from .conftest import at_once
from .test_budgets import _answer, _to_voting, budget_round, district  # noqa: F401  (fixtures)

pytestmark = pytest.mark.usefixtures("points_defaults")


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_eight_concurrent_budget_ballots_from_one_resident_count_once(operator, budget_round, district):  # noqa: F811
    budget_round = _to_voting(budget_round, operator)
    resident = ResidentFactory(home_district=district)
    answers = _answer(budget_round, "Playground", "Lighting")
    outcomes = at_once(
        8, lambda: poll_services.ballot_cast(poll_id=budget_round.poll_id, resident=resident, answers=answers)
    )
    assert outcomes == ["already_voted"] * 7 + ["ok"]
    assert Participation.objects.filter(poll_id=budget_round.poll_id, resident=resident).count() == 1
    assert PendingBallot.objects.filter(poll_id=budget_round.poll_id).count() == 1
