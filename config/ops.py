"""Operations endpoints (outside /api/v1, no authentication, no rate limits):

- ``/healthz``: the process answers (no database access, for a liveness probe);
- ``/readyz``: the database answers, every migration is applied and the task queue moves
  (no ready task older than ``GOROD_READY_TASK_MAX_AGE`` seconds): 200 or 503 with the reasons;
- ``/metrics``: Prometheus text (requests per endpoint, latencies, task queue depth, points
  issued per programme), optionally behind ``GOROD_METRICS_TOKEN`` (a bearer token).

It lives in ``config`` because it reads several apps (the task queue, the ledger), which no
single app of the layered domain may do.
"""

from __future__ import annotations

import datetime as dt
import hmac
import logging
import sys
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Count, Min, Sum
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_tasks_db.models import DBTaskResult
from prometheus_client import CONTENT_TYPE_LATEST
from prometheus_client.core import GaugeMetricFamily, Metric

from gorod.core import metrics
from gorod.core.errors import (
    DATABASE_UNAVAILABLE_MESSAGE,
    DATABASE_UNAVAILABLE_RETRY_AFTER,
    is_database_unavailable,
)
from gorod.points.models import AccountKind, LedgerAccount
from gorod.web import theme
from gorod.web import views as web_views

_migrations_known_applied = False
error_log = logging.getLogger("gorod.errors")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "ok"})


def _pending_migrations() -> list[str]:
    global _migrations_known_applied
    if _migrations_known_applied:  # applied once means applied until the next deploy restarts us
        return []
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    pending = [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]
    _migrations_known_applied = not pending
    return pending


def oldest_ready_task_age() -> dt.timedelta | None:
    oldest = DBTaskResult.objects.ready().aggregate(oldest=Min("enqueued_at"))["oldest"]
    return timezone.now() - oldest if oldest is not None else None


@never_cache
@require_GET
def readyz(request: HttpRequest) -> HttpResponse:
    checks: dict[str, Any] = {}
    ok = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except DatabaseError as error:
        return JsonResponse(
            {"status": "unavailable", "checks": {"database": type(error).__name__}}, status=503
        )
    pending = _pending_migrations()
    checks["migrations"] = "ok" if not pending else {"pending": pending[:20]}
    ok &= not pending
    if pending:  # the task table may not exist yet: not ready, and nothing more to ask
        return JsonResponse({"status": "unavailable", "checks": checks}, status=503)
    age = oldest_ready_task_age()
    limit = settings.GOROD_READY_TASK_MAX_AGE
    stuck = age is not None and age.total_seconds() > limit
    checks["tasks"] = (
        "ok"
        if not stuck
        else {"oldest_ready_seconds": int(age.total_seconds()) if age else 0, "limit_seconds": limit}
    )
    ok &= not stuck
    return JsonResponse(
        {"status": "ok" if ok else "unavailable", "checks": checks}, status=200 if ok else 503
    )


def _task_gauges() -> Iterable[Metric]:
    depth = GaugeMetricFamily(
        "gorod_tasks",
        "Background tasks in the database queue, by queue and status.",
        labels=["queue", "status"],
    )
    for row in DBTaskResult.objects.values("queue_name", "status").annotate(n=Count("id")).order_by():
        depth.add_metric([row["queue_name"], row["status"]], row["n"])
    yield depth
    age = oldest_ready_task_age()
    oldest = GaugeMetricFamily(
        "gorod_tasks_oldest_ready_seconds", "Age of the oldest task waiting for a worker (0 when none)."
    )
    oldest.add_metric([], age.total_seconds() if age else 0.0)
    yield oldest


def _points_gauges() -> Iterable[Metric]:
    # The issuance accounts' materialised balances are minus what each programme issued, net of
    # reversals: a few rows per programme instead of a scan of the ledger.
    issued = GaugeMetricFamily(
        "gorod_points_issued",
        "Points issued per programme, net of reversals (from the ledger).",
        labels=["programme"],
    )
    rows = (
        LedgerAccount.objects.filter(kind=AccountKind.ISSUANCE, programme__isnull=False)
        .values("programme__code")
        .annotate(total=Sum("balance"))
        .order_by("programme__code")
    )
    for row in rows:
        issued.add_metric([row["programme__code"]], -(row["total"] or 0))
    yield issued


@never_cache
@require_GET
def metrics_view(request: HttpRequest) -> HttpResponse:
    token = settings.GOROD_METRICS_TOKEN
    if token:
        sent = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(sent.encode(), token.encode()):
            return HttpResponse(status=401, headers={"WWW-Authenticate": "Bearer"})
    body = metrics.render([_task_gauges, _points_gauges])
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The site's branded page (gorod.web.views.not_found), except under /api/: a URL that names no operation (an empty or slashed id,
    a path the document lacks) answers the API's JSON 404, as every documented 404 does."""
    if request.path.startswith("/api/"):
        body = {"code": "not_found", "message": str(_("Not found.")), "details": {}}
        return JsonResponse(body, status=404)
    return web_views.not_found(request, exception)


def _city() -> dict[str, str]:
    """The city's name and logo for the error pages; settings only, and never an error of its own."""
    try:
        return {"city_name": theme.city_name(), "city_logo": theme.logo_url()}
    except Exception:  # the error page must render whatever else is broken
        return {}


def server_error(request: HttpRequest) -> HttpResponse:
    """The friendly 500 page: no stack trace, the request id to quote to support. It renders a
    standalone template (no context processors, no database) so that it works when little else does.

    A database that does not answer while a middleware reads it (the token behind a bearer, an
    Idempotency-Key) is not a bug but a brief outage: 503 with Retry-After, JSON under /api/."""
    request_id = getattr(request, "request_id", "")
    error = sys.exc_info()[1]
    if is_database_unavailable(error):
        # An outage, not a bug: one WARNING line (Django would log it again at ERROR).
        error_log.warning("database unavailable in %s %s: %s", request.method, request.path, error)
        if request.path.startswith("/api/"):
            response: HttpResponse = JsonResponse(
                {
                    "code": "database_unavailable",
                    "message": str(DATABASE_UNAVAILABLE_MESSAGE),
                    "details": {"request_id": request_id},
                },
                status=503,
            )
        else:
            response = HttpResponse(
                render_to_string("503.html", {"request_id": request_id, **_city()}), status=503
            )
        response["Retry-After"] = str(DATABASE_UNAVAILABLE_RETRY_AFTER)
        response._has_been_logged = True  # type: ignore[attr-defined]  # Django's own flag
        return response
    body = render_to_string("500.html", {"request_id": request_id, **_city()})
    # Django logs this 500 once, with its stack, after this handler returns (django.request).
    return HttpResponse(body, status=500)
