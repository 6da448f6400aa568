"""A failing e-mail task: the business write stays, the task is retried with backoff through the
real database queue and worker, and after the last attempt it stays FAILED for operators."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from gorod.core.task_retries import backoff, failed_tasks_retry
from gorod.notifications import services as notifications
from gorod.notifications.models import Notification

pytestmark = pytest.mark.django_db(transaction=True)
FAILING = "gorod.notifications.tests.failing_backend.FailingBackend"


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.GOROD_TASK_RETRY_BASE = 60
    settings.GOROD_TASK_MAX_ATTEMPTS = 3
    return settings


def work() -> None:
    call_command("db_worker", batch=True, reload=False, verbosity=0)


def test_backoff_doubles_and_is_capped():
    assert [backoff(n).total_seconds() for n in (1, 2, 3)] == [60, 120, 240]
    assert backoff(30) == dt.timedelta(hours=1)


def test_failed_email_is_retried_with_backoff_and_the_business_write_stays(database_queue, resident):
    database_queue.EMAIL_BACKEND = FAILING
    notifications.notify(resident_ids=[resident.pk], kind="building_news", event_key="retry:1", title="Hello")
    assert Notification.objects.filter(event_key="retry:1").exists()  # committed before any e-mail
    work()
    task = DBTaskResult.objects.get()
    assert task.status == TaskResultStatus.FAILED and "ConnectionError" in task.exception_class_path
    # too early: the backoff has not passed
    assert failed_tasks_retry(now=timezone.now()) == 0
    assert failed_tasks_retry(now=timezone.now() + dt.timedelta(seconds=61)) == 1
    assert DBTaskResult.objects.get().status == TaskResultStatus.READY
    # the mail server is back: the retry delivers, once
    database_queue.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    work()
    task = DBTaskResult.objects.get()
    assert task.status == TaskResultStatus.SUCCESSFUL and len(task.worker_ids) == 2
    assert len(mail.outbox) == 1
    assert Notification.objects.get(event_key="retry:1").emailed_at is not None
    assert failed_tasks_retry(now=timezone.now() + dt.timedelta(days=1)) == 0


def test_after_the_last_attempt_the_task_stays_failed_and_visible(database_queue, resident, admin_client):
    database_queue.EMAIL_BACKEND = FAILING
    notifications.notify(resident_ids=[resident.pk], kind="building_news", event_key="retry:2", title="Hello")
    later = timezone.now()
    for _attempt in range(3):
        work()
        later += dt.timedelta(hours=2)
        failed_tasks_retry(now=later)
    task = DBTaskResult.objects.get()
    assert task.status == TaskResultStatus.FAILED and len(task.worker_ids) == 3
    assert failed_tasks_retry(now=later + dt.timedelta(days=1)) == 0
    assert Notification.objects.filter(event_key="retry:2", emailed_at__isnull=True).exists()
    page = admin_client.get("/console/django_tasks_database/dbtaskresult/?status__exact=FAILED")
    assert page.status_code == 200 and "send_notification_email" in page.content.decode()
    metrics = admin_client.get("/metrics").content.decode()
    assert 'gorod_tasks{queue="default",status="FAILED"} 1.0' in metrics
