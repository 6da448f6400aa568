"""Failed background tasks are retried with exponential backoff, then left FAILED for operators.

The database task backend records a failure (exception and traceback, visible in the console
under *Task results*) but does not retry. ``failed_tasks_retry`` (a periodic job) puts a failed
task of a retryable kind back in the queue once its backoff has passed: ``GOROD_TASK_RETRY_BASE``
seconds doubled per attempt, capped at an hour, for at most ``GOROD_TASK_MAX_ATTEMPTS`` attempts
(each attempt leaves its worker id on the row, so the count survives restarts). Retryable kinds
must be safe to run twice (the e-mail task claims its notification first, so it never sends twice).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from gorod.core.logs import log_action

MAX_BACKOFF = dt.timedelta(hours=1)


def backoff(attempts: int) -> dt.timedelta:
    """Wait before attempt number ``attempts + 1``: base, 2×base, 4×base, ... at most an hour."""
    base = dt.timedelta(seconds=settings.GOROD_TASK_RETRY_BASE)
    return min(base * (2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def failed_tasks_retry(now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    retried = 0
    candidates = DBTaskResult.objects.filter(
        status=TaskResultStatus.FAILED, task_path__in=settings.GOROD_RETRYABLE_TASKS
    ).only("id", "worker_ids", "finished_at", "task_path")
    for result in candidates.order_by("finished_at")[:500]:
        attempts = len(result.worker_ids or [])
        if attempts >= settings.GOROD_TASK_MAX_ATTEMPTS or result.finished_at is None:
            continue
        if result.finished_at + backoff(attempts) > now:
            continue
        # Guarded: two schedulers running at once put it back only once.
        moved = DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.FAILED).update(
            status=TaskResultStatus.READY, run_after=get_date_max(), started_at=None, finished_at=None
        )
        if moved:
            retried += 1
            log_action("task_retried", task=result.task_path, task_id=str(result.pk), attempt=attempts + 1)
    return retried
