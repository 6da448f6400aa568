"""Real concurrency against PostgreSQL: threads, each with its own database connection."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
from django.db import connection, connections
from django.utils import timezone

from conftest import postgres_only
from gorod.accounts.tests.factories import ResidentFactory
from gorod.points import accounts, selectors, services, services_spend
from gorod.points.checks import ledger_mismatches
from gorod.points.errors import InsufficientPoints
from gorod.points.models import Hold, Transfer
from gorod.points.services_rules import earning_rule_define

# serialized_rollback restores the rows that data migrations made (programmes, earning rules)
# after the flush that transactional tests do.
pytestmark = [postgres_only, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def run_in_threads(workers: int, job: Callable[[int], object]) -> list[object]:
    barrier = Barrier(workers)

    def wrapped(worker: int) -> object:
        barrier.wait()
        try:
            return job(worker)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(wrapped, range(workers)))


def fund(resident, amount: int) -> None:
    earning_rule_define(programme="mission_city", action="test_grant", name="Test grant")
    services.award(
        resident=resident,
        programme="mission_city",
        action="test_grant",
        source_key=f"fund:{resident.pk}",
        amount=amount,
    )


def test_eight_workers_spending_never_overdraw():
    assert connection.vendor == "postgresql"
    resident = ResidentFactory()
    fund(resident, 1_000)
    fund_account = accounts.charity_account(1, "Fund")

    def spend_fifty_times(worker: int) -> int:
        ok = 0
        for n in range(50):
            try:
                services_spend.spend(
                    resident=resident,
                    to_account=fund_account,
                    amount=60,
                    reason="donation",
                    source_key=f"spend:{worker}:{n}",
                )
                ok += 1
            except InsufficientPoints:
                pass
        return ok

    successes = sum(run_in_threads(8, spend_fifty_times))  # type: ignore[misc]
    assert successes == 16
    assert selectors.balance(resident).balance == 40
    mismatches, total = ledger_mismatches()
    assert mismatches == [] and total == 0


def test_eight_workers_replaying_the_same_keys_apply_each_once():
    residents = [ResidentFactory(level="standard") for _ in range(10)]

    def replay(worker: int) -> int:
        applied = 0
        for n in range(500):
            result = services.award(
                resident=residents[n % 10], programme="active_citizen", action="vote", source_key=f"vote:{n}"
            )
            applied += 0 if result.replayed else 1
        return applied

    applied = sum(run_in_threads(8, replay))  # type: ignore[misc]
    assert applied == 500
    assert Transfer.objects.filter(source_key__startswith="vote:").count() == 500
    assert sum(selectors.balance(r).balance for r in residents) == 500 * 20
    mismatches, total = ledger_mismatches()
    assert mismatches == [] and total == 0


def test_concurrent_holds_never_exceed_available():
    resident = ResidentFactory()
    fund(resident, 1_000)
    later = timezone.now() + dt.timedelta(days=1)

    def try_hold(worker: int) -> bool:
        try:
            services_spend.hold(
                resident=resident, amount=300, reason="order", source_key=f"h:{worker}", expires_at=later
            )
            return True
        except InsufficientPoints:
            return False

    assert sum(run_in_threads(8, try_hold)) == 3  # type: ignore[arg-type]
    assert selectors.balance(resident).held == 900
    assert Hold.objects.count() == 3


def test_concurrent_capped_awards_respect_the_cap():
    resident = ResidentFactory()

    def earn(worker: int) -> int:
        return services.award(
            resident=resident,
            programme="mission_city",
            action="sport_norms",
            source_key=f"m:{worker}",
            amount=4_000,
            cap_scope="c1",
        ).amount

    grants = run_in_threads(8, earn)
    assert sum(grants) == 15_000  # type: ignore[arg-type]
    assert selectors.balance(resident).balance == 15_000


def test_concurrent_replays_of_one_spend_and_one_hold_apply_once():
    resident = ResidentFactory()
    fund(resident, 1_000)
    fund_account = accounts.charity_account(2, "Fund")
    later = timezone.now() + dt.timedelta(days=1)

    def replay(worker: int) -> tuple[int, int]:
        spent = services_spend.spend(
            resident=resident, to_account=fund_account, amount=100, reason="donation", source_key="donation:1"
        )
        held = services_spend.hold(
            resident=resident, amount=200, reason="order", source_key="order:1", expires_at=later
        )
        return spent.pk, held.pk

    results = run_in_threads(8, replay)
    assert len(set(results)) == 1
    assert selectors.balance(resident) == selectors.Balance(balance=900, held=200)
    mismatches, total = ledger_mismatches()
    assert mismatches == [] and total == 0


def test_spends_and_reversals_of_spends_never_deadlock():
    """A spend and a reversal of a spend lock the same two accounts; both take them in id order
    (the sink here is older than the wallet, the order in which a wallet-first spend deadlocked)."""
    sink = accounts.expired_account()
    resident = ResidentFactory()
    fund(resident, 100_000)
    assert sink.pk < accounts.wallet_id_of(resident)
    earlier = [
        services_spend.spend(
            resident=resident, to_account=sink, amount=1, reason="test", source_key=f"early:{n}"
        )
        for n in range(60)
    ]

    def work(worker: int) -> int:
        done = 0
        for n in range(30):
            if worker % 2:
                services_spend.reverse(transfer=earlier[(worker // 2) * 30 + n], reason="test")
            else:
                services_spend.spend(
                    resident=resident, to_account=sink, amount=1, reason="test", source_key=f"w{worker}:{n}"
                )
            done += 1
        return done

    assert run_in_threads(4, work) == [30, 30, 30, 30]
    assert selectors.balance(resident).balance == 100_000 - 60 - 60 + 60
    assert ledger_mismatches() == ([], 0)


def test_a_spend_locks_both_accounts_in_id_order_before_it_writes():
    from django.test.utils import CaptureQueriesContext

    resident = ResidentFactory()
    fund(resident, 100)
    sink = accounts.expired_account()
    with CaptureQueriesContext(connection) as queries:
        services_spend.spend(resident=resident, to_account=sink, amount=10, reason="test", source_key="order")
    statements = [q["sql"].upper() for q in queries.captured_queries]
    first_lock = next(
        i for i, sql in enumerate(statements) if "FOR UPDATE" in sql or sql.startswith(("UPDATE", "INSERT"))
    )
    assert "FOR UPDATE" in statements[first_lock] and "LEDGERACCOUNT" in statements[first_lock].replace(
        '"', ""
    ).replace("_", "")
    assert 'ORDER BY "POINTS_LEDGERACCOUNT"."ID" ASC' in statements[first_lock]
