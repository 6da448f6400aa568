"""A ballot outside any transaction, on a poll this process has seen open (PostgreSQL): the
ballot's rows and its points are one statement, which is the vote's whole transaction. Anything
that statement cannot do alone (a stale rule, a missing issuance account, a budget, a cap) it
undoes, and the full path writes the vote; the points come out exactly as ``award`` gives them,
once, and the ledger balances."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import postgres_only
from gorod.accounts.tests.factories import ResidentFactory
from gorod.points import accounts, selectors
from gorod.points import services as points_services
from gorod.points.checks import ledger_mismatches
from gorod.points.errors import BudgetExhausted
from gorod.points.models import EarningRule, LedgerAccount, Programme, Transfer
from gorod.points.services_rules import rule_version_publish
from gorod.voting import errors, services, services_ballot
from gorod.voting.models import Participation, PendingBallot

from .conftest import answers_for, make_poll

pytestmark = [
    postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("points_defaults"),
]


def _every_shard() -> None:
    programme = Programme.objects.get(code="active_citizen")
    for shard in range(settings.POINTS_ISSUANCE_SHARDS):
        accounts.issuance_of(programme, shard=shard)


def _seen_open():
    """A poll this process knows open, and (the second ballot) the vote rule's plan read."""
    poll = make_poll()
    points_services.plain_award_forget(programme="active_citizen", action="vote")
    for _ in range(2):
        voter = ResidentFactory(level="standard")
        services.ballot_cast(poll_id=poll.pk, resident=voter, answers=answers_for(poll))
    assert poll.pk in services_ballot._FROZEN_SHAPES
    return poll


def _vote(poll, voter, answers=None):
    assert not connection.in_atomic_block
    return services.ballot_cast(poll_id=poll.pk, resident=voter, answers=answers or answers_for(poll))


def _points_of(poll, voter) -> list[int]:
    return list(
        Transfer.objects.filter(source_key=f"vote:{poll.pk}:{voter.pk}").values_list("amount", flat=True)
    )


def _ledger_ok() -> None:
    assert ledger_mismatches() == ([], 0)


def test_a_ballot_with_its_points_is_one_statement():
    _every_shard()
    poll = _seen_open()
    voter, answers = ResidentFactory(level="standard"), answers_for(poll)
    with CaptureQueriesContext(connection) as captured:
        receipt = _vote(poll, voter, answers)
    sqls = [q["sql"] for q in captured.captured_queries]
    assert len(sqls) == 1 and "points_award_one" in sqls[0], sqls
    assert receipt.points == 20 and _points_of(poll, voter) == [20]
    assert selectors.balance(voter).balance == 20
    assert Participation.objects.filter(poll=poll, resident=voter).count() == 1
    assert PendingBallot.objects.filter(poll=poll).count() == 3
    _ledger_ok()


def test_a_second_ballot_is_refused_and_writes_nothing():
    _every_shard()
    poll = _seen_open()
    voter = ResidentFactory(level="standard")
    _vote(poll, voter)
    wallets, transfers = LedgerAccount.objects.count(), Transfer.objects.count()
    with pytest.raises(errors.AlreadyVoted):
        _vote(poll, voter)
    assert (LedgerAccount.objects.count(), Transfer.objects.count()) == (wallets, transfers)
    assert PendingBallot.objects.filter(poll=poll).count() == 3
    assert selectors.balance(voter).balance == 20
    _ledger_ok()


def test_a_missing_issuance_account_sends_the_vote_down_the_full_path():
    poll = _seen_open()
    voters = [ResidentFactory(level="standard") for _ in range(12)]  # every shard, first use for most
    for voter in voters:
        assert _vote(poll, voter).points == 20
        assert _points_of(poll, voter) == [20]
    assert PendingBallot.objects.filter(poll=poll).count() == 14
    _ledger_ok()


def test_a_rule_version_published_since_the_plan_is_applied_at_once():
    _every_shard()
    poll = _seen_open()
    first = ResidentFactory(level="standard")
    assert _vote(poll, first).points == 20  # the plan is kept in this process
    rule = EarningRule.objects.get(programme__code="active_citizen", action="vote")
    rule_version_publish(rule=rule, amount_simplified=0, amount_standard=35, amount_full=35)
    second, third = ResidentFactory(level="standard"), ResidentFactory(level="standard")
    assert _vote(poll, second).points == 35
    assert _vote(poll, third).points == 35
    assert _points_of(poll, second) == [35] and _points_of(poll, third) == [35]
    _ledger_ok()


def test_a_budget_or_a_cap_set_since_the_plan_are_honoured():
    _every_shard()
    poll = _seen_open()
    assert _vote(poll, ResidentFactory(level="standard")).points == 20
    Programme.objects.filter(code="active_citizen").update(budget=30)
    voter = ResidentFactory(level="standard")
    assert _vote(poll, voter).points == 20
    assert Programme.objects.get(code="active_citizen").budget_used == 20
    late = ResidentFactory(level="standard")
    with pytest.raises(BudgetExhausted):  # 10 points left: the vote is refused whole, as before
        _vote(poll, late)
    assert not Participation.objects.filter(poll=poll, resident=late).exists()
    Programme.objects.filter(code="active_citizen").update(budget=None)
    points_services.plain_award_forget(programme="active_citizen", action="vote")
    rule = EarningRule.objects.get(programme__code="active_citizen", action="vote")
    rule_version_publish(rule=rule, amount_standard=20, amount_full=20, cap_amount=10, cap_period="day")
    capped = ResidentFactory(level="standard")
    assert _vote(poll, capped).points == 10
    _ledger_ok()
