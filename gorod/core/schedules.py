"""Periodic jobs. Each app may list jobs in ``<app>/schedules.py`` as ``JOBS``; every job is
idempotent, so ``run_schedules`` can be called by cron every minute, or twice, safely."""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings


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


def _retry_failed_tasks() -> object:
    from gorod.core.task_retries import failed_tasks_retry

    return failed_tasks_retry()


JOBS = [Job("core.failed_tasks_retry", _retry_failed_tasks)]
