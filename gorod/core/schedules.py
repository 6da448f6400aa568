"""Periodic jobs. Each app may list jobs in ``<app>/schedules.py`` as ``JOBS``; every job is
idempotent, so ``run_schedules`` can be called by cron every minute, or twice, safely.

Several nodes may each run ``run_schedules`` (a cluster, docs/adr/0007): with
``GOROD_SCHEDULE_SLOT_SECONDS`` set, a job runs at most once per slot of that many seconds
across all of them. The node that first inserts the (job, slot) row runs it; the others' inserts
hit the unique constraint and they skip it. A node that dies after its claim loses that slot's
run only: the job is idempotent and catches up in the next slot."""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

# how long claims are kept (the console and a curious operator can see who ran what)
RUNS_KEPT = dt.timedelta(days=2)


@dataclass(frozen=True)
class Job:
    name: str
    run: Callable[[], object]


def all_jobs() -> list[Job]:
    jobs: list[Job] = []
    for app in settings.INSTALLED_APPS:
        if not app.startswith("gorod."):
            continue
        module_name = f"{app}.schedules"
        if importlib.util.find_spec(module_name) is not None:
            jobs.extend(getattr(importlib.import_module(module_name), "JOBS", []))
    return jobs


def slot_start(moment: dt.datetime, slot_seconds: int) -> dt.datetime:
    """The start of the slot of ``slot_seconds`` holding ``moment`` (slots counted from the epoch)."""
    seconds = int(moment.timestamp()) // slot_seconds * slot_seconds
    return dt.datetime.fromtimestamp(seconds, dt.UTC)


def job_claim(*, job: str, node: str, slot_seconds: int) -> bool:
    """Claim ``job`` for the current slot; True when this node is the one to run it."""
    from gorod.core.models import ScheduleRun

    now = timezone.now()
    try:
        with transaction.atomic():
            ScheduleRun.objects.create(
                job=job, slot_start=slot_start(now, slot_seconds), node=node[:100], claimed_at=now
            )
    except IntegrityError:
        return False
    return True


def _retry_failed_tasks() -> object:
    from gorod.core.task_retries import failed_tasks_retry

    return failed_tasks_retry()


def _schedule_runs_prune() -> object:
    from gorod.core.models import ScheduleRun

    deleted, _ = ScheduleRun.objects.filter(slot_start__lt=timezone.now() - RUNS_KEPT).delete()
    return deleted or None


JOBS = [
    Job("core.failed_tasks_retry", _retry_failed_tasks),
    Job("core.schedule_runs_prune", _schedule_runs_prune),
]
