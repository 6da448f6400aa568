from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gorod.accounts.tests.factories import ResidentFactory
from gorod.points import accounts, selectors, services_spend
from gorod.points.checks import ledger_mismatches
from gorod.points.errors import SourceKeyConflict
from gorod.points.models import LedgerAccount, Lot, Transfer
from gorod.points.services import award
from gorod.points.services_bulk import AwardRequest, Granted, award_many, award_many_granted
from gorod.points.services_rules import earning_rule_define, rule_version_publish

pytestmark = pytest.mark.django_db


def test_bulk_awards_match_the_single_path_and_replay_safely():
    residents = [ResidentFactory(level=level) for level in ["standard", "full", "simplified"] * 5]
    requests = [AwardRequest(r.pk, r.level, f"reading:{r.pk}:2026-11") for r in residents]
    results = award_many(programme="electronic_home", action="meter_reading", requests=requests)
    assert [a.amount for a in results] == [10, 20, 0] * 5
    assert Transfer.objects.count() == 10
    again = award_many(programme="electronic_home", action="meter_reading", requests=requests)
    assert all(a.replayed for a in again if a.amount) and Transfer.objects.count() == 10
    # A replay answers the first transfer whole, as the first call did, not a shell of it.
    first = [
        (t.pk, t.source_key, t.created_at, t.credit_id, t.rule_version_id)
        for a in results
        if (t := a.transfer)
    ]
    replayed = [
        (t.pk, t.source_key, t.created_at, t.credit_id, t.rule_version_id) for a in again if (t := a.transfer)
    ]
    assert replayed == first and len(first) == 10 and all(None not in row for row in first)
    assert selectors.balance(residents[1]).balance == 20
    mismatches, total = ledger_mismatches()
    assert mismatches == [] and total == 0


def test_bulk_duplicate_key_inside_a_batch_counts_once(resident):
    request = AwardRequest(resident.pk, resident.level, "reading:1:2026-11")
    results = award_many(programme="electronic_home", action="meter_reading", requests=[request, request])
    assert [a.amount for a in results] == [10, 10]
    assert Transfer.objects.count() == 1


def test_bulk_caps_clamp_across_the_batch(resident):
    requests = [
        AwardRequest(resident.pk, resident.level, f"mission:1:{resident.pk}:{n}", amount=6_000, cap_scope="1")
        for n in range(3)
    ]
    results = award_many(programme="mission_city", action="sport_norms", requests=requests)
    assert [a.amount for a in results] == [6_000, 6_000, 3_000]
    follow = award(
        resident=resident,
        programme="mission_city",
        action="sport_norms",
        source_key="mission:1:x:9",
        amount=1_000,
        cap_scope="1",
    )
    assert follow.amount == 0 and selectors.balance(resident).balance == 15_000


def test_bulk_conflicting_replay_is_refused_and_writes_nothing(resident):
    award_many(
        programme="electronic_home",
        action="bill_cashback",
        requests=[AwardRequest(resident.pk, resident.level, "payment:1", base_amount=10_000)],
    )
    other = ResidentFactory()
    with pytest.raises(SourceKeyConflict):
        award_many(
            programme="electronic_home",
            action="bill_cashback",
            requests=[
                AwardRequest(other.pk, other.level, "payment:2", base_amount=10_000),
                AwardRequest(resident.pk, resident.level, "payment:1", base_amount=99_999),
            ],
        )
    assert Transfer.objects.count() == 1
    assert selectors.balance(other).balance == 0


def test_granted_path_opens_wallets_in_bulk_and_matches_the_full_one():
    residents = [ResidentFactory(level="standard") for _ in range(12)]
    accounts.wallet_of(residents[0])  # one wallet exists already, the others open in one statement
    requests = [AwardRequest(r.pk, r.level, f"reading:{r.pk}:2026-11") for r in residents]
    granted = award_many_granted(programme="electronic_home", action="meter_reading", requests=requests)
    assert granted == [Granted(10, False)] * 12
    assert LedgerAccount.objects.filter(resident__in=residents).count() == 12
    again = award_many_granted(programme="electronic_home", action="meter_reading", requests=requests)
    assert again == [Granted(10, True)] * 12
    full = award_many(programme="electronic_home", action="meter_reading", requests=requests)
    assert [(a.amount, a.replayed, a.transfer.amount) for a in full] == [(10, True, 10)] * 12
    assert all(selectors.balance(r).balance == 10 for r in residents)
    assert ledger_mismatches()[0] == []


def test_bulk_awards_under_an_expiring_rule_open_lots_for_each_transfer():
    rule = earning_rule_define(programme="active_citizen", action="promo", name="Promo", amount_standard=100)
    rule_version_publish(rule=rule, amount_standard=100, expiry_days=30)
    residents = [ResidentFactory(level="standard") for _ in range(3)]
    results = award_many(
        programme="active_citizen",
        action="promo",
        requests=[AwardRequest(r.pk, r.level, f"promo:{r.pk}") for r in residents],
    )
    lots = {lot.transfer_id: lot for lot in Lot.objects.all()}
    assert sorted(lots) == sorted(a.transfer.pk for a in results)
    assert all(lot.remaining == 100 and lot.account.resident in residents for lot in lots.values())
    assert services_spend.lots_expire(now=timezone.now() + dt.timedelta(days=31)) == 3
    assert ledger_mismatches()[0] == []


def test_a_first_award_opens_the_wallet_holding_the_whole_batch_credit():
    """Two events for each of three new residents: each wallet is born with 20 (standard:
    10 + 10) and only the issuance shards go through the balance update."""
    residents = [ResidentFactory(level="standard") for _ in range(3)]
    requests = [AwardRequest(r.pk, r.level, f"reading:{r.pk}-{n}:2026-11") for r in residents for n in (1, 2)]
    assert [
        g.amount
        for g in award_many_granted(programme="electronic_home", action="meter_reading", requests=requests)
    ] == [10] * 6
    wallets = LedgerAccount.objects.filter(resident__in=residents)
    assert sorted(wallets.values_list("balance", flat=True)) == [20, 20, 20]
    assert all(selectors.balance(r).balance == 20 for r in residents)
    assert ledger_mismatches()[0] == []
