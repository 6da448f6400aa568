"""The schedule guard (GOROD_SCHEDULE_SLOT_SECONDS): several nodes calling run_schedules run each
job once per slot between them; off by default, every call runs every job."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone

from gorod.core.models import ScheduleRun
from gorod.core.schedules import all_jobs, job_claim, slot_start

pytestmark = pytest.mark.django_db


def test_one_claim_per_job_and_slot():
    assert job_claim(job="a", node="node-a", slot_seconds=60)
    assert not job_claim(job="a", node="node-b", slot_seconds=60)
    assert job_claim(job="b", node="node-b", slot_seconds=60)
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=60)):
        assert job_claim(job="a", node="node-b", slot_seconds=60)
    assert sorted(ScheduleRun.objects.values_list("job", "node")) == [
        ("a", "node-a"),
        ("a", "node-b"),
        ("b", "node-b"),
    ]


def test_slots_are_counted_from_the_epoch():
    moment = dt.datetime(2026, 12, 9, 8, 20, 59, tzinfo=dt.UTC)
    assert slot_start(moment, 60) == dt.datetime(2026, 12, 9, 8, 20, tzinfo=dt.UTC)
    assert slot_start(moment, 3600) == dt.datetime(2026, 12, 9, 8, 0, tzinfo=dt.UTC)


def test_two_nodes_in_one_slot_run_each_job_once(settings):
    settings.GOROD_SCHEDULE_SLOT_SECONDS = 3600  # the two calls below fall in one slot
    call_command("run_schedules")
    call_command("run_schedules")
    names = [job.name for job in all_jobs()]
    assert sorted(ScheduleRun.objects.values_list("job", flat=True)) == sorted(names)


def test_off_by_default_nothing_is_claimed():
    call_command("run_schedules")
    assert not ScheduleRun.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_racing_nodes_one_wins():
    """Eight nodes claim the same job at once, each on its own connection: exactly one runs it."""
    if connection.vendor != "postgresql":
        pytest.skip("threads on one in-memory SQLite database share a connection")
    barrier = threading.Barrier(8)
    wins: list[bool] = []

    def node(n: int) -> None:
        try:
            barrier.wait()
            wins.append(job_claim(job="race", node=f"node-{n}", slot_seconds=60))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=node, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(wins) == [False] * 7 + [True]
    assert ScheduleRun.objects.filter(job="race").count() == 1
