from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from gorod.accounts.tests.factories import ResidentFactory
from gorod.points import accounts, selectors, services, services_spend
from gorod.points.checks import ledger_mismatches
from gorod.points.errors import (
    AlreadyReversed,
    BudgetExhausted,
    HoldNotActive,
    InsufficientPoints,
    NonPositiveAmount,
    SourceKeyConflict,
    UnknownEarningRule,
)
from gorod.points.models import CapUsage, Hold, HoldStatus, Programme, Transfer
from gorod.points.services_rules import earning_rule_define, rule_version_publish

pytestmark = pytest.mark.django_db


def give(resident, amount: int, key: str = "grant") -> None:
    services.award(
        resident=resident, programme="mission_city", action="museum_visit", source_key=f"{key}:{resident.pk}"
    )
    # museum_visit gives 700; top up or take down to the exact amount asked for
    delta = amount - selectors.balance(resident).balance
    if delta > 0:
        earning_rule_define(programme="mission_city", action="test_grant", name="Test grant")
        services.award(
            resident=resident,
            programme="mission_city",
            action="test_grant",
            source_key=f"{key}:top:{resident.pk}",
            amount=delta,
        )
    elif delta < 0:
        services_spend.spend(
            resident=resident,
            to_account=accounts.expired_account(),
            amount=-delta,
            reason="test",
            source_key=f"{key}:trim:{resident.pk}",
        )


def assert_ledger_clean() -> None:
    mismatches, total = ledger_mismatches()
    assert mismatches == []
    assert total == 0


def test_award_by_account_level(resident, full_resident):
    simplified = ResidentFactory(level="simplified")
    a = services.award(
        resident=resident, programme="electronic_home", action="meter_reading", source_key="r:1"
    )
    b = services.award(
        resident=full_resident, programme="electronic_home", action="meter_reading", source_key="r:2"
    )
    c = services.award(
        resident=simplified, programme="electronic_home", action="meter_reading", source_key="r:3"
    )
    assert (a.amount, b.amount, c.amount) == (10, 20, 0)
    assert c.transfer is None
    assert selectors.balance(full_resident).balance == 20
    assert selectors.balance(simplified).balance == 0
    assert a.transfer.rule_version.number == 1
    assert_ledger_clean()


def test_same_key_returns_first_transfer(resident):
    first = services.award(
        resident=resident, programme="active_citizen", action="vote", source_key="vote:1:x"
    )
    again = services.award(
        resident=resident, programme="active_citizen", action="vote", source_key="vote:1:x"
    )
    assert again.replayed and again.transfer.pk == first.transfer.pk
    assert Transfer.objects.filter(source_key="vote:1:x").count() == 1
    assert selectors.balance(resident).balance == 20


def test_same_key_with_other_amount_is_refused_and_changes_nothing(resident):
    services.award(
        resident=resident,
        programme="electronic_home",
        action="bill_cashback",
        source_key="pay:1",
        base_amount=10_000,
    )
    before = selectors.balance(resident)
    with pytest.raises(SourceKeyConflict):
        services.award(
            resident=resident,
            programme="electronic_home",
            action="bill_cashback",
            source_key="pay:1",
            base_amount=20_000,
        )
    assert selectors.balance(resident) == before
    assert Transfer.objects.count() == 1


def test_percentage_rounds_down(resident):
    result = services.award(
        resident=resident,
        programme="electronic_home",
        action="bill_cashback",
        source_key="pay:2",
        base_amount=1_999,
    )
    assert result.amount == 99  # 5% of 1,999 = 99.95


def test_cap_clamps_then_gives_zero(resident):
    # sport norms: 1,000 per norm, up to 15,000 per challenge
    results = [
        services.award(
            resident=resident,
            programme="mission_city",
            action="sport_norms",
            source_key=f"mission:1:{resident.pk}:{n}",
            amount=4_000,
            cap_scope="challenge-1",
        )
        for n in range(5)
    ]
    assert [r.amount for r in results] == [4_000, 4_000, 4_000, 3_000, 0]
    assert results[3].remaining_allowance == 0
    assert selectors.balance(resident).balance == 15_000
    other = services.award(
        resident=resident,
        programme="mission_city",
        action="sport_norms",
        source_key=f"mission:2:{resident.pk}:0",
        amount=1_000,
        cap_scope="challenge-2",
    )
    assert other.amount == 1_000
    assert CapUsage.objects.get(scope="scope:challenge-1").used == 15_000


def test_daily_cap(resident):
    amounts = [
        services.award(
            resident=resident, programme="active_citizen", action="novelty_rating", source_key=f"rate:{n}"
        ).amount
        for n in range(12)
    ]
    assert sum(amounts) == 30 and amounts[-1] == 0


def test_unknown_rule_and_bad_amounts_write_nothing(resident):
    with pytest.raises(UnknownEarningRule):
        services.award(resident=resident, programme="active_citizen", action="nope", source_key="x:1")
    for bad in (0, -5):
        with pytest.raises(NonPositiveAmount):
            services.award(
                resident=resident,
                programme="mission_city",
                action="sport_norms",
                source_key="x:2",
                amount=bad,
            )
    assert Transfer.objects.count() == 0


def test_rule_outside_window_gives_nothing(resident):
    rule = earning_rule_define(
        programme="active_citizen", action="old_promo", name="Old promo", amount_standard=50
    )
    rule_version_publish(
        rule=rule, amount_standard=50, valid_until=timezone.now() - dt.timedelta(days=1), note="ended"
    )
    result = services.award(
        resident=resident, programme="active_citizen", action="old_promo", source_key="p:1"
    )
    assert result.amount == 0 and Transfer.objects.count() == 0


def test_budget_exhausted_refuses_without_writing(resident):
    Programme.objects.filter(code="active_citizen").update(budget=30)
    services.award(resident=resident, programme="active_citizen", action="vote", source_key="v:1")
    with pytest.raises(BudgetExhausted):
        services.award(resident=resident, programme="active_citizen", action="vote", source_key="v:2")
    assert Transfer.objects.count() == 1
    assert Programme.objects.get(code="active_citizen").budget_used == 20
    assert_ledger_clean()


def test_hold_post_and_void(resident):
    give(resident, 1_000)
    partner = accounts.partner_account(1, "Partner")
    soon = timezone.now() + dt.timedelta(days=14)
    h1 = services_spend.hold(
        resident=resident, amount=600, reason="order", source_key="order:1", expires_at=soon
    )
    assert selectors.balance(resident).available == 400
    with pytest.raises(InsufficientPoints):
        services_spend.hold(
            resident=resident, amount=500, reason="order", source_key="order:2", expires_at=soon
        )
    assert not Hold.objects.filter(source_key="order:2").exists()
    services_spend.post_hold(hold_id=h1.pk, to_account=partner)
    assert selectors.balance(resident) == selectors.Balance(balance=400, held=0)
    with pytest.raises(HoldNotActive):
        services_spend.void_hold(hold_id=h1.pk)
    h3 = services_spend.hold(
        resident=resident, amount=300, reason="order", source_key="order:3", expires_at=soon
    )
    services_spend.void_hold(hold_id=h3.pk)
    assert selectors.balance(resident).available == 400
    assert_ledger_clean()


def test_expired_holds_are_released(resident):
    give(resident, 500)
    past = timezone.now() - dt.timedelta(minutes=1)
    for n in range(3):
        services_spend.hold(
            resident=resident, amount=100, reason="order", source_key=f"o:{n}", expires_at=past
        )
    assert services_spend.holds_expire() == 3
    assert services_spend.holds_expire() == 0
    assert selectors.balance(resident).held == 0
    assert Hold.objects.filter(status=HoldStatus.EXPIRED).count() == 3
    assert_ledger_clean()


def test_spend_never_below_zero(resident):
    give(resident, 100)
    fund = accounts.charity_account(1, "Fund")
    with pytest.raises(InsufficientPoints):
        services_spend.spend(
            resident=resident, to_account=fund, amount=101, reason="donation", source_key="d:1"
        )
    assert selectors.balance(resident).balance == 100
    assert not Transfer.objects.filter(source_key="d:1").exists()


def test_reversal_after_spending_leaves_a_visible_debt(resident):
    cashback = services.award(
        resident=resident,
        programme="electronic_home",
        action="bill_cashback",
        source_key="pay:9",
        base_amount=100_000,
    ).transfer
    assert cashback.amount == 5_000
    services_spend.spend(
        resident=resident,
        to_account=accounts.charity_account(2),
        amount=4_000,
        reason="donation",
        source_key="d:9",
    )
    services_spend.reverse(transfer=cashback, reason="refund")
    balance = selectors.balance(resident)
    assert balance.balance == -4_000 and balance.is_debt
    with pytest.raises(AlreadyReversed):
        services_spend.reverse(transfer=cashback, reason="refund", source_key="again")
    # replaying the same reversal is harmless
    services_spend.reverse(transfer=cashback, reason="refund")
    assert selectors.balance(resident).balance == -4_000
    assert_ledger_clean()


def test_lots_expire_soonest_first(resident):
    rule = earning_rule_define(programme="active_citizen", action="promo", name="Promo", amount_standard=100)
    rule_version_publish(rule=rule, amount_standard=100, expiry_days=30)
    services.award(resident=resident, programme="active_citizen", action="promo", source_key="promo:1")
    services.award(resident=resident, programme="active_citizen", action="vote", source_key="vote:no-expiry")
    services_spend.spend(
        resident=resident,
        to_account=accounts.charity_account(3),
        amount=60,
        reason="donation",
        source_key="d:lots",
    )
    later = timezone.now() + dt.timedelta(days=31)
    assert services_spend.lots_expire(now=later) == 1
    # 100 expiring − 60 spent = 40 expired; the 20 from the vote stay
    assert selectors.balance(resident).balance == 20
    assert services_spend.lots_expire(now=later) == 0
    assert_ledger_clean()


def test_points_check_command_detects_tampering(resident):
    give(resident, 200)
    call_command("points_check")
    from gorod.points.models import LedgerAccount

    LedgerAccount.objects.filter(resident=resident).update(balance=999)
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("points_check")


def test_daily_checkpoint_recomputes(resident):
    give(resident, 100)
    from gorod.core.time import city_today
    from gorod.points.checks import checkpoint_day, checkpoint_matches

    checkpoint = checkpoint_day(city_today())
    assert checkpoint.transfer_count >= 1
    assert checkpoint_matches(checkpoint)
    Transfer.objects.filter(pk=Transfer.objects.first().pk).update(amount=12345)
    assert not checkpoint_matches(checkpoint)


def test_statement_keyset_pagination(resident):
    for n in range(30):
        services.award(resident=resident, programme="active_citizen", action="vote", source_key=f"vote:{n}")
    first = selectors.statement(resident, limit=25)
    assert len(first.lines) == 25 and first.next_cursor is not None
    second = selectors.statement(resident, cursor=first.next_cursor, limit=25)
    assert len(second.lines) == 5 and second.next_cursor is None
    ids = [line.id for line in first.lines + second.lines]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == 30
    assert first.lines[0].service == "Active Citizen"
    assert first.lines[0].reason == "Vote in a city poll"


def test_statement_pages_hold_exactly_the_wallets_movements_in_and_out(resident):
    """Each page merges the newest debits and credits; paging through gives every transfer that
    touches the wallet once, newest first, and none of another wallet's."""
    from django.db.models import Q

    other = ResidentFactory()
    sink = accounts.expired_account()
    for n in range(23):
        services.award(resident=resident, programme="active_citizen", action="vote", source_key=f"in:{n}")
        services.award(resident=other, programme="active_citizen", action="vote", source_key=f"other:{n}")
        if n % 3 == 0:
            services_spend.spend(
                resident=resident, to_account=sink, amount=5, reason="test", source_key=f"out:{n}"
            )
    wallet = accounts.wallet_id_of(resident)
    expected = list(
        Transfer.objects.filter(Q(debit_id=wallet) | Q(credit_id=wallet))
        .order_by("-id")
        .values_list("id", flat=True)
    )
    seen, cursor = [], None
    while True:
        page = selectors.statement(resident, cursor=cursor, limit=7)
        seen += [line.id for line in page.lines]
        assert all(line.amount == -5 for line in page.lines if line.reason == "test")
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert seen == expected and len(expected) == 23 + 8
