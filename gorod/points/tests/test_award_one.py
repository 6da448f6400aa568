"""``points_award_one`` (PostgreSQL): a plain award written inside a caller's statement. It must
write exactly what ``services.award`` writes, and nothing at all when the caller's plan may be
stale or the award is not plain (the caller then takes ``award``'s full path)."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from conftest import postgres_only
from gorod.accounts.tests.factories import ResidentFactory
from gorod.points import accounts, selectors, services, sql
from gorod.points.checks import ledger_mismatches
from gorod.points.models import EarningRule, LedgerAccount, Programme, Transfer
from gorod.points.services_rules import rule_version_publish

pytestmark = [pytest.mark.django_db, postgres_only]

CALL = "SELECT " + sql.AWARD_ONE_CALL.replace("{memo}", "%(memo)s::text")


def _call(
    plan: services.PlainAward, source_key: str, *, or_raise: bool = False, memo: str = "Poll"
) -> int | None:
    params = services.plain_award_params(plan, source_key=source_key, now=timezone.now(), or_raise=or_raise)
    with connection.cursor() as cursor:
        cursor.execute(CALL, {**params, "memo": memo})
        return cursor.fetchone()[0]


def _plan(resident, action: str = "vote") -> services.PlainAward:
    services.plain_award_forget(programme="active_citizen", action=action)
    plan = services.plain_award(
        resident=resident, programme="active_citizen", action=action, now=timezone.now()
    )
    assert plan is not None
    return plan


def _issuance_ready(resident) -> None:
    """The resident's issuance shard exists (``award`` opens it on first use; the function does not)."""
    accounts.issuance_of(
        Programme.objects.get(code="active_citizen"), shard=accounts.issuance_shard(resident.pk)
    )


def _row(source_key: str) -> dict:
    return (
        Transfer.objects.filter(source_key=source_key)
        .values(
            "debit__key",
            "credit__key",
            "amount",
            "programme_id",
            "reason",
            "basis",
            "rule_version_id",
            "actor_id",
            "memo",
            "reverses_id",
            "hold_id",
        )
        .get()
    )


def test_the_function_writes_every_column_of_a_transfer_and_of_a_wallet():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_functiondef('points_award_one'::regproc)")
        (source,) = cursor.fetchone()
    for model in (Transfer, LedgerAccount):
        for field in model._meta.concrete_fields:
            if not field.primary_key:
                assert field.column in source, (
                    f"{model.__name__}.{field.column} is not written by the function"
                )


@pytest.mark.parametrize("wallet_before", [False, True])
def test_a_plain_award_writes_what_award_writes(wallet_before):
    by_function, by_service = ResidentFactory(level="standard"), ResidentFactory(level="standard")
    _issuance_ready(by_function)
    if wallet_before:
        for resident in (by_function, by_service):
            services.award(
                resident=resident, programme="active_citizen", action="vote", source_key=f"w:{resident.pk}"
            )
    plan = _plan(by_function)
    assert plan.amount == 20
    transfer_id = _call(plan, "vote:1:a", memo="Which park?")
    services.award(
        resident=by_service,
        programme="active_citizen",
        action="vote",
        source_key="vote:1:b",
        memo="Which park?",
    )
    assert transfer_id == Transfer.objects.get(source_key="vote:1:a").pk
    mine, theirs = _row("vote:1:a"), _row("vote:1:b")
    assert mine.pop("credit__key") == accounts.wallet_key(by_function.pk)
    assert theirs.pop("credit__key") == accounts.wallet_key(by_service.pk)
    for row, resident in ((mine, by_function), (theirs, by_service)):
        shard = accounts.issuance_shard(resident.pk)
        assert row.pop("debit__key") == accounts.issuance_key("active_citizen", shard)
    assert mine == theirs
    assert (
        selectors.balance(by_function).balance
        == selectors.balance(by_service).balance
        == 20 * (1 + wallet_before)
    )
    assert ledger_mismatches() == ([], 0)


def test_the_same_key_again_writes_nothing():
    resident = ResidentFactory(level="standard")
    _issuance_ready(resident)
    plan = _plan(resident)
    assert _call(plan, "vote:2:a") is not None
    assert _call(plan, "vote:2:a") is None
    assert Transfer.objects.filter(source_key="vote:2:a").count() == 1
    assert selectors.balance(resident).balance == 20
    assert ledger_mismatches() == ([], 0)


def _refused(plan: services.PlainAward, resident, source_key: str) -> None:
    wallets = LedgerAccount.objects.filter(resident=resident).count()
    assert _call(plan, source_key) is None
    with pytest.raises(DatabaseError) as raised, transaction.atomic():
        _call(plan, source_key, or_raise=True)
    assert raised.value.__cause__.sqlstate == sql.AWARD_ONE_REFUSED
    assert not Transfer.objects.filter(source_key=source_key).exists()
    assert LedgerAccount.objects.filter(resident=resident).count() == wallets
    assert ledger_mismatches() == ([], 0)


def test_a_plan_made_stale_by_a_new_version_writes_nothing():
    resident = ResidentFactory(level="standard")
    _issuance_ready(resident)
    plan = _plan(resident)
    rule = EarningRule.objects.get(programme__code="active_citizen", action="vote")
    rule_version_publish(rule=rule, amount_simplified=0, amount_standard=35, amount_full=35)
    _refused(plan, resident, "vote:3:a")
    # read afresh, the plan carries the new terms and is written
    assert _call(_plan(resident), "vote:3:a") is not None
    assert Transfer.objects.get(source_key="vote:3:a").amount == 35


def test_a_budget_set_since_the_plan_writes_nothing():
    resident = ResidentFactory(level="standard")
    _issuance_ready(resident)
    plan = _plan(resident)
    Programme.objects.filter(code="active_citizen").update(budget=1_000_000)
    _refused(plan, resident, "vote:4:a")
    services.plain_award_forget(programme="active_citizen", action="vote")
    assert (
        services.plain_award(resident=resident, programme="active_citizen", action="vote", now=timezone.now())
        is None
    )


def test_a_missing_issuance_account_writes_nothing():
    resident = ResidentFactory(level="standard")
    _refused(_plan(resident), resident, "vote:5:a")


def test_capped_expiring_and_simplified_awards_are_not_plain():
    resident = ResidentFactory(level="standard")
    rule = EarningRule.objects.get(programme__code="active_citizen", action="vote")
    now = timezone.now()
    rule_version_publish(rule=rule, amount_standard=20, amount_full=20, cap_amount=100, cap_period="day")
    services.plain_award_forget(programme="active_citizen", action="vote")
    assert services.plain_award(resident=resident, programme="active_citizen", action="vote", now=now) is None
    rule_version_publish(rule=rule, amount_standard=20, amount_full=20, expiry_days=30)
    services.plain_award_forget(programme="active_citizen", action="vote")
    assert services.plain_award(resident=resident, programme="active_citizen", action="vote", now=now) is None
    rule_version_publish(rule=rule, amount_standard=20, amount_full=20)
    services.plain_award_forget(programme="active_citizen", action="vote")
    simplified = ResidentFactory(level="simplified")
    assert (
        services.plain_award(resident=simplified, programme="active_citizen", action="vote", now=now) is None
    )
    assert (
        services.plain_award(resident=resident, programme="active_citizen", action="vote", now=now)
        is not None
    )
