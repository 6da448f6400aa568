"""Properties of the pure points rules and of reversals, checked by hypothesis."""

from __future__ import annotations

import contextlib
import datetime as dt
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gorod.points import rules

amounts = st.integers(min_value=0, max_value=10**9)


@given(base=st.integers(min_value=0, max_value=10**12), bp=st.integers(min_value=0, max_value=10_000))
def test_percentage_is_the_exact_value_rounded_down(base, bp):
    result = rules.percent_of(base, bp)
    exact = Fraction(base * bp, 10_000)
    assert result <= exact < result + 1


@given(grants=st.lists(st.integers(min_value=0, max_value=20_000), max_size=30), cap=st.integers(0, 100_000))
def test_clamped_grants_never_exceed_the_cap_and_fill_it_greedily(grants, cap):
    used = 0
    given_out = []
    for requested in grants:
        grant = rules.clamp_to_cap(requested, used=used, cap=cap)
        assert 0 <= grant <= requested
        used += grant
        given_out.append(grant)
    assert used <= cap
    assert used == min(cap, sum(grants))


@given(day=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_cap_windows_contain_their_day(day):
    assert rules.cap_scope("day", city_day=day) == day.isoformat()
    assert rules.cap_scope("month", city_day=day).startswith(f"{day.year}-")
    assert rules.cap_scope("year", city_day=day) == str(day.year)
    later_same_month = day.replace(day=min(28, day.day))
    assert rules.cap_scope("month", city_day=day) == rules.cap_scope("month", city_day=later_same_month)


def test_simplified_account_earns_nothing_by_default():
    terms = rules.Terms(amount_standard=10, amount_full=20)
    assert rules.requested_amount(terms, level="simplified") == 0
    assert (
        rules.requested_amount(rules.Terms(percent_basis_points=500), level="simplified", base_amount=1000)
        == 0
    )


@pytest.mark.django_db
@settings(max_examples=25, deadline=None)
@given(
    earned=st.lists(st.integers(min_value=1, max_value=5_000), min_size=1, max_size=5),
    spent=st.integers(min_value=0, max_value=10_000),
    reversed_parts=st.lists(st.integers(min_value=1, max_value=3_000), max_size=4),
)
def test_reversals_keep_the_ledger_balanced_and_never_exceed_the_original(earned, spent, reversed_parts):
    from gorod.accounts.tests.factories import ResidentFactory
    from gorod.points import accounts, selectors, services, services_spend
    from gorod.points.checks import ledger_mismatches
    from gorod.points.errors import AlreadyReversed, InsufficientPoints
    from gorod.points.services_rules import earning_rule_define

    earning_rule_define(programme="mission_city", action="test_grant", name="Test grant")
    resident = ResidentFactory()
    transfers = [
        services.award(
            resident=resident,
            programme="mission_city",
            action="test_grant",
            source_key=f"e:{resident.pk}:{i}",
            amount=a,
        ).transfer
        for i, a in enumerate(earned)
    ]
    with contextlib.suppress(InsufficientPoints):
        services_spend.spend(
            resident=resident,
            to_account=accounts.charity_account(1),
            amount=spent or 1,
            reason="donation",
            source_key=f"s:{resident.pk}",
        )
    target = transfers[0]
    reversed_total = 0
    for i, part in enumerate(reversed_parts):
        try:
            services_spend.reverse(transfer=target, amount=part, source_key=f"r:{resident.pk}:{i}")
            reversed_total += part
        except AlreadyReversed:
            assert reversed_total + part > target.amount
    assert reversed_total <= target.amount
    mismatches, total = ledger_mismatches()
    assert mismatches == [] and total == 0
    balance = selectors.balance(resident)
    assert balance.held == 0
