"""Operations: liveness, readiness, request ids, JSON logs, metrics, the friendly 500."""

from __future__ import annotations

import datetime as dt
import json
import logging

import pytest
from django.test import Client
from django.urls import path
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from config import ops
from gorod.core.logs import JsonFormatter, log_action


def boom(request):
    raise RuntimeError("a bug, on purpose")


# Test-only URLs: the real ones plus a view that crashes.
from config.urls import urlpatterns as _real  # noqa: E402

urlpatterns = [path("boom", boom), *_real]
handler500 = "config.ops.server_error"


@pytest.fixture
def crashing_urls(settings):
    settings.ROOT_URLCONF = __name__
    settings.DEBUG = False


def test_healthz_answers_without_auth_or_database(client):
    # No django_db mark: any database access here would fail the test.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_ok_when_migrated_and_queue_empty(client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    assert response.json()["checks"] == {"database": "ok", "migrations": "ok", "tasks": "ok"}


def _queue_task(enqueued_at: dt.datetime) -> DBTaskResult:
    task = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="gorod.notifications.tasks.send_email",
        backend_name="default",
        queue_name="default",
        run_after=dt.datetime(9999, 1, 1, tzinfo=dt.UTC),
        status="READY",
        exception_class_path="",
        traceback="",
    )
    DBTaskResult.objects.filter(pk=task.pk).update(enqueued_at=enqueued_at)
    return task


@pytest.mark.django_db
def test_readyz_fails_when_a_task_waits_too_long(client, settings):
    settings.GOROD_READY_TASK_MAX_AGE = 60
    _queue_task(timezone.now() - dt.timedelta(seconds=5))
    assert client.get("/readyz").status_code == 200
    _queue_task(timezone.now() - dt.timedelta(minutes=10))
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["tasks"]["limit_seconds"] == 60
    assert response.json()["checks"]["tasks"]["oldest_ready_seconds"] >= 600


@pytest.mark.django_db
def test_readyz_names_pending_migrations(client, monkeypatch):
    monkeypatch.setattr(ops, "_migrations_known_applied", False)
    from django.db.migrations.executor import MigrationExecutor

    real_plan = MigrationExecutor.migration_plan

    def plan_with_one_pending(self, targets, clean_start=False):
        migration = self.loader.get_migration("accounts", "0001_initial")
        return [*real_plan(self, targets, clean_start), (migration, False)]

    monkeypatch.setattr(MigrationExecutor, "migration_plan", plan_with_one_pending)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == {"pending": ["accounts.0001_initial"]}


@pytest.mark.django_db
def test_request_id_is_returned_and_a_sane_incoming_one_is_kept(client):
    response = client.get("/healthz")
    assert len(response["X-Request-ID"]) == 32
    response = client.get("/healthz", HTTP_X_REQUEST_ID="lb-1234.abc")
    assert response["X-Request-ID"] == "lb-1234.abc"
    response = client.get("/healthz", HTTP_X_REQUEST_ID="bad id\nwith newline")
    assert response["X-Request-ID"] != "bad id\nwith newline"


@pytest.mark.django_db
def test_one_json_line_per_request_with_the_request_id(client, caplog):
    caplog.set_level(logging.INFO, logger="gorod.request")
    response = client.get("/api/v1/openapi.json", HTTP_X_REQUEST_ID="req-42")
    records = [r for r in caplog.records if r.name == "gorod.request"]
    assert len(records) == 1
    line = json.loads(JsonFormatter().format(records[0]))
    assert line["request_id"] == "req-42"
    assert line["status"] == response.status_code == 200
    assert line["endpoint"] == "/api/v1/openapi.json"
    assert line["method"] == "GET" and line["duration_ms"] >= 0


def test_business_action_line_carries_its_fields(caplog):
    caplog.set_level(logging.INFO, logger="gorod.action")
    log_action("ballot_cast", poll_id=3)
    line = json.loads(JsonFormatter().format(caplog.records[-1]))
    assert line["action"] == "ballot_cast" and line["poll_id"] == 3 and line["logger"] == "gorod.action"


@pytest.mark.django_db
def test_friendly_500_page_shows_the_request_id_and_no_trace(crashing_urls):
    client = Client(raise_request_exception=False)
    response = client.get("/boom", HTTP_X_REQUEST_ID="trace-me-1")
    assert response.status_code == 500
    assert response["X-Request-ID"] == "trace-me-1"
    body = response.content.decode()
    assert "trace-me-1" in body and "RuntimeError" not in body and "Traceback" not in body


@pytest.mark.django_db
def test_api_500_is_json_with_the_request_id(api_client, monkeypatch):
    from gorod.accounts import api as accounts_api

    def broken(**fields):
        raise RuntimeError("a bug, on purpose")

    monkeypatch.setattr(accounts_api, "MeOut", broken)
    response = api_client.get("/api/v1/me", HTTP_X_REQUEST_ID="api-err-7")
    assert response.status_code == 500
    assert response.json()["code"] == "server_error"
    assert response.json()["details"] == {"request_id": "api-err-7"}
    assert "RuntimeError" not in response.content.decode()


@pytest.mark.django_db
def test_metrics_count_requests_by_endpoint_and_report_queue_and_points(client, resident):
    from gorod.points import services as points

    points.award(resident=resident, programme="active_citizen", action="vote", source_key="vote:metrics:1")
    _queue_task(timezone.now())
    client.get("/api/v1/openapi.json")
    body = client.get("/metrics").content.decode()
    assert 'gorod_http_requests_total{endpoint="/api/v1/openapi.json",method="GET",status="200"}' in body
    assert "gorod_http_request_duration_seconds_bucket" in body
    assert 'gorod_tasks{queue="default",status="READY"} 1.0' in body
    issued = [
        line
        for line in body.splitlines()
        if line.startswith('gorod_points_issued{programme="active_citizen"}')
    ]
    assert issued and float(issued[0].split()[-1]) > 0


@pytest.mark.django_db
def test_metrics_token_when_configured(client, settings):
    settings.GOROD_METRICS_TOKEN = "s3cret"
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret").status_code == 200


def test_error_report_handler_posts_json(live_server_url_for_reports):
    handler, received = live_server_url_for_reports
    logger = logging.getLogger("gorod.test.report")
    logger.addHandler(handler)
    try:
        logger.error("it broke", extra={"request_id": "r-1"})
        assert handler.drain()  # posted by the handler's own thread, off the request path
    finally:
        logger.removeHandler(handler)
    assert received and received[0]["message"] == "it broke" and received[0]["request_id"] == "r-1"


@pytest.fixture
def live_server_url_for_reports():
    """A real HTTP server on a free port that records what the handler POSTs."""
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    from gorod.core.logs import ErrorReportHandler

    received: list[dict] = []

    class Sink(BaseHTTPRequestHandler):
        def do_POST(self):
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Sink)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield ErrorReportHandler(url=f"http://127.0.0.1:{server.server_port}/"), received
    finally:
        server.shutdown()
