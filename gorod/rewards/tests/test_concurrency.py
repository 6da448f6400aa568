"""Real threads against PostgreSQL: stock and balances never go below zero."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from conftest import postgres_only
from gorod.accounts.tests.factories import ResidentFactory
from gorod.core.errors import DomainError
from gorod.points import selectors as points_selectors
from gorod.points.checks import ledger_mismatches
from gorod.points.models import Programme
from gorod.rewards import services
from gorod.rewards.models import Order, Reward
from gorod.rewards.tests.factories import give_points, make_partner, make_reward

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _programmes(transactional_db: Any) -> None:
    # A transactional test starts from an emptied database: put back the migration's programmes.
    for code in ["mission_city", "million_prizes", "charity"]:
        Programme.objects.get_or_create(code=code, defaults={"name": code})


def run_together(jobs: list[Any]) -> tuple[list[Any], list[BaseException]]:
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker(job: Any) -> None:
        try:
            barrier.wait()
            outcome = job()
            with lock:
                results.append(outcome)
        except BaseException as error:
            with lock:
                errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def test_twenty_residents_race_for_the_last_five_items():
    partner = make_partner()
    reward = make_reward(partner, price=250, stock=5)
    residents = [ResidentFactory(level="standard") for _ in range(20)]
    for resident in residents:
        give_points(resident, 1000)
    jobs = [lambda r=r: services.order_place(resident=r, reward_id=reward.pk) for r in residents]
    results, errors = run_together(jobs)
    assert len(results) == 5
    assert len(errors) == 15 and all(getattr(e, "code", "") == "out_of_stock" for e in errors)
    reward.refresh_from_db()
    assert reward.stock == 0
    assert Order.objects.filter(reward=reward).count() == 5
    winners = {order.resident_id for order in results}
    for resident in residents:
        balance = points_selectors.balance(resident)
        assert balance.balance == 1000
        assert balance.held == (250 if resident.pk in winners else 0)
    mismatches, total = ledger_mismatches()
    assert mismatches == [] and total == 0


def test_one_resident_eight_orders_never_overspends():
    partner = make_partner()
    rewards = [make_reward(partner, price=300, stock=100) for _ in range(4)]
    resident = ResidentFactory(level="standard")
    give_points(resident, 1000)  # enough for three orders of 300, not eight
    jobs = [
        lambda n=n: services.order_place(resident=resident, reward_id=rewards[n % 4].pk) for n in range(8)
    ]
    results, errors = run_together(jobs)
    assert len(results) == 3
    assert all(isinstance(e, DomainError) and e.code == "insufficient_points" for e in errors)
    balance = points_selectors.balance(resident)
    assert (balance.balance, balance.held, balance.available) == (1000, 900, 100)
    assert sum(Reward.objects.filter(pk__in=[r.pk for r in rewards]).values_list("stock", flat=True)) == 397
    mismatches, total = ledger_mismatches()
    assert mismatches == [] and total == 0


def test_concurrent_promo_orders_get_distinct_codes():
    from gorod.rewards.models import PromoCode, RewardKind
    from gorod.rewards.services_catalogue import promo_codes_upload

    partner = make_partner()
    reward = make_reward(partner, kind=RewardKind.PROMO_CODE, stock=None, price=100)
    promo_codes_upload(reward=reward, raw="\n".join(f"CODE-{n}" for n in range(6)))
    residents = [ResidentFactory(level="standard") for _ in range(10)]
    for resident in residents:
        give_points(resident, 500)
    results, errors = run_together(
        [lambda r=r: services.order_place(resident=r, reward_id=reward.pk) for r in residents]
    )
    assert len(results) == 6 and len(errors) == 4
    assert PromoCode.objects.filter(order__isnull=False).count() == 6
    reward.refresh_from_db()
    assert reward.stock == 0
