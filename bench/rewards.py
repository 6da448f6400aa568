"""Rewards benchmark on PostgreSQL: orders under contention and the expiry job.

    .venv/bin/python bench/rewards.py [--seconds 10] [--expired 100000] [--workers 8]

contention  orders placed per second when 8 worker processes order the same popular reward
            (one stock row every order must decrement), each order a durable transaction:
            points hold + guarded stock UPDATE + order row + notification; p50/p99 latency.
expiry      seconds for ``orders_expire`` to expire 100,000 orders past their pickup window
            (hold released, stock returned, order closed), after which the ledger check and the
            stock must be exact.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing as mp
import time
from typing import Any

from _setup import django_setup, fresh_database, percentile

RESIDENTS = 10_000
PRICE = 100
GRANT = 100_000


def _prepare_residents(count: int) -> None:
    from gorod.accounts.models import Resident
    from gorod.points.services_bulk import AwardRequest, award_many
    from gorod.points.services_rules import earning_rule_define

    Resident.objects.bulk_create(
        [Resident(username=f"bench{n}", level="standard") for n in range(count)], batch_size=2000
    )
    earning_rule_define(
        programme="mission_city",
        action="bench_grant",
        name="Benchmark grant",
        amount_simplified=GRANT,
        amount_standard=GRANT,
        amount_full=GRANT,
    )
    ids = list(Resident.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), 1000):
        award_many(
            programme="mission_city",
            action="bench_grant",
            requests=[AwardRequest(pk, "standard", f"bench:grant:{pk}") for pk in ids[start : start + 1000]],
        )


def _popular_reward(stock: int) -> int:
    from gorod.rewards import services_catalogue
    from gorod.rewards.models import Reward, RewardKind

    partner = services_catalogue.partner_create(name=f"Bench partner {stock}")
    return Reward.objects.create(
        partner=partner, kind=RewardKind.ITEM, title="Popular mug", price=PRICE, stock=stock
    ).pk


def _order_worker(
    url: str, worker: int, workers: int, reward_id: int, seconds: float, ready: Any, out: mp.Queue
) -> None:
    django_setup(url)
    from gorod.accounts.models import Resident
    from gorod.rewards import services

    residents = list(Resident.objects.filter(username__startswith="bench").order_by("pk"))[worker::workers]
    # Warm up (translations, URL resolver, connection) outside the measured window, then start together.
    services.order_place(resident=residents[-1], reward_id=reward_id)
    ready.wait()
    latencies: list[float] = []
    n = 0
    start = time.perf_counter()
    deadline = start + seconds
    while time.perf_counter() < deadline:
        t0 = time.perf_counter()
        services.order_place(resident=residents[n % len(residents)], reward_id=reward_id)
        latencies.append(time.perf_counter() - t0)
        n += 1
    out.put((n, time.perf_counter() - start, latencies))


def contention(url: str, workers: int, seconds: float) -> str:
    from gorod.rewards.models import Order, Reward

    stock = 1_000_000
    reward_id = _popular_reward(stock)
    ctx = mp.get_context("spawn")
    out: mp.Queue = ctx.Queue()
    ready = ctx.Barrier(workers)
    procs = [
        ctx.Process(target=_order_worker, args=(url, w, workers, reward_id, seconds, ready, out))
        for w in range(workers)
    ]
    for p in procs:
        p.start()
    results = [out.get() for _ in procs]
    for p in procs:
        p.join()
    total = sum(r[0] for r in results)
    elapsed = max(r[1] for r in results)
    latencies = [lat for r in results for lat in r[2]]
    left = Reward.objects.get(pk=reward_id).stock
    placed = Order.objects.filter(reward_id=reward_id).count()  # measured orders + one warm-up each
    exact = left == stock - placed and placed == total + workers
    return (
        f"contention {total / elapsed:7,.0f} orders/s ({workers} workers, one reward, {total:,} orders) | "
        f"p50 {percentile(latencies, 50) * 1000:5.1f} ms p99 {percentile(latencies, 99) * 1000:6.1f} ms | "
        f"stock {'exact' if exact else 'WRONG'}"
    )


def _bulk_expired_orders(count: int) -> int:
    """``count`` reserved orders past their window, as order_place would have left them (bulk)."""
    from django.db.models import F, Sum
    from django.utils import timezone

    from gorod.points.models import Hold, LedgerAccount, Programme
    from gorod.rewards import rules
    from gorod.rewards.models import Order, OrderStatus, Reward, StockSource

    reward_id = _popular_reward(count)
    reward = Reward.objects.select_related("partner").get(pk=reward_id)
    wallets = list(
        LedgerAccount.objects.filter(resident__username__startswith="bench")
        .order_by("pk")
        .values_list("pk", "resident_id")
    )
    programme = Programme.objects.get(code="million_prizes")
    past = timezone.now() - dt.timedelta(days=15)
    deadline = past + dt.timedelta(days=14)
    for start in range(0, count, 10_000):
        chunk = range(start, min(count, start + 10_000))
        codes = [rules.new_code(12) for _ in chunk]
        # round-robin over residents, as real orders interleave
        holds = Hold.objects.bulk_create(
            [
                Hold(
                    account_id=wallets[n % len(wallets)][0],
                    amount=PRICE,
                    reason="order",
                    source_key=f"rewards:order:{code}",
                    expires_at=deadline,
                    programme=programme,
                    created_at=past,
                )
                for n, code in zip(chunk, codes, strict=True)
            ],
            batch_size=5000,
        )
        Order.objects.bulk_create(
            [
                Order(
                    code=code,
                    reward=reward,
                    partner_id=reward.partner_id,
                    resident_id=wallets[n % len(wallets)][1],
                    stock_source=StockSource.REWARD,
                    price=PRICE,
                    status=OrderStatus.RESERVED,
                    hold=held,
                    created_at=past,
                    pickup_until=deadline,
                )
                for n, code, held in zip(chunk, codes, holds, strict=True)
            ],
            batch_size=5000,
        )
    held = dict(
        Hold.objects.filter(status="active")
        .values_list("account_id")
        .annotate(total=Sum("amount"))
        .values_list("account_id", "total")
    )
    for account_id, total in held.items():
        LedgerAccount.objects.filter(pk=account_id).update(held=total)
    Reward.objects.filter(pk=reward_id).update(stock=F("stock") - count)
    return reward_id


def expiry(count: int) -> str:
    from django.db import connection

    from gorod.points.checks import ledger_mismatches
    from gorod.rewards import services
    from gorod.rewards.models import Order, Reward

    reward_id = _bulk_expired_orders(count)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    from gorod.points import services_spend as points_services

    # Time the ledger's part (releasing the held points) apart from the rewards part.
    ledger_holds_expire = points_services.holds_expire
    spent = [0.0]

    def timed_holds_expire(**kwargs: object) -> int:
        t0 = time.perf_counter()
        result = ledger_holds_expire(**kwargs)  # type: ignore[arg-type]
        spent[0] += time.perf_counter() - t0
        return result

    points_services.holds_expire = timed_holds_expire  # type: ignore[assignment]
    start = time.perf_counter()
    expired = services.orders_expire()
    elapsed = time.perf_counter() - start
    points_services.holds_expire = ledger_holds_expire
    ledger_part = spent[0]
    mismatches, total = ledger_mismatches()
    stock_back = Reward.objects.get(pk=reward_id).stock == count
    again = services.orders_expire()
    left = Order.objects.filter(status="reserved", reward_id=reward_id).count()
    return (
        f"expiry     {expired:,} expired orders in {elapsed:6.2f} s ({expired / elapsed:,.0f} orders/s; "
        f"of which the ledger's holds_expire {ledger_part:5.2f} s) | "
        f"stock {'returned' if stock_back else 'WRONG'} | still reserved {left} | second run {again} | "
        f"ledger check {'clean' if not mismatches and total == 0 else 'FAILED'}"
    )


def run(seconds: float, expired: int, workers: int) -> None:
    url = fresh_database("postgres", "gorod_bench_rewards_postgres")
    _prepare_residents(RESIDENTS)
    print(contention(url, workers, seconds), flush=True)
    print(expiry(expired), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--expired", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=8)
    args = parser.parse_args()
    ctx = mp.get_context("spawn")
    proc = ctx.Process(target=run, args=(args.seconds, args.expired, args.workers))
    proc.start()
    proc.join()


if __name__ == "__main__":
    main()
