"""Open311 GeoReport v2 (JSON): discovery, services, service definitions, requests.

Standard clients list services (our topics in season) and read public requests (accepted
reports, never personal data). Filing (POST requests.json) needs an ``api_key``: a resident's
API token, so a request is filed on behalf of that resident and goes to moderation like any
other. Errors follow the specification: a list of ``{"code", "description"}``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from gorod.accounts.selectors import resident_for_token
from gorod.core.errors import DomainError
from gorod.problems import rules, selectors, services
from gorod.problems.models import Report, ReportSource, Topic

MAX_REQUESTS = 1000
DEFAULT_WINDOW_DAYS = 90
OPEN_311_STATUS = {
    rules.IN_WORK: "open",
    rules.ANSWER_MODERATION: "open",
    rules.ANSWERED: "open",
    rules.ESCALATED: "open",
    rules.CLOSED: "closed",
}


def _error(status: int, description: str) -> JsonResponse:
    return JsonResponse([{"code": status, "description": description}], status=status, safe=False)


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment else None


@require_GET
def discovery(request: HttpRequest) -> JsonResponse:
    base = request.build_absolute_uri(reverse("open311:services"))
    return JsonResponse(
        {
            "changeset": "2026-01-01T00:00:00Z",
            "contact": "Our City, gorod",
            "key_service": request.build_absolute_uri(reverse("accounts:profile")),
            "endpoints": [
                {
                    "specification": "http://wiki.open311.org/GeoReport_v2",
                    "url": base.rsplit("/", 1)[0],
                    "changeset": "2026-01-01T00:00:00Z",
                    "type": "production",
                    "formats": ["application/json"],
                }
            ],
        }
    )


def _service(topic: Topic) -> dict[str, Any]:
    return {
        "service_code": topic.code,
        "service_name": topic.name,
        "description": topic.description or topic.name,
        "metadata": False,
        "type": "realtime",
        "keywords": topic.season,
        "group": topic.group.name,
    }


@require_GET
def services_list(request: HttpRequest) -> JsonResponse:
    return JsonResponse([_service(t) for t in selectors.topics_in_season()], safe=False)


@require_GET
def service_definition(request: HttpRequest, code: str) -> JsonResponse:
    if not Topic.objects.filter(code=code, is_active=True).exists():
        return _error(404, "service_code not found")
    return JsonResponse({"service_code": code, "attributes": []})


def _request(report: Report, base: str) -> dict[str, Any]:
    answer = report.answers.all()
    published = [a for a in answer if a.status == "approved"]
    return {
        "service_request_id": str(report.pk),
        "status": OPEN_311_STATUS.get(report.status, "open"),
        "status_notes": published[-1].text if published else "",
        "service_name": report.topic.name,
        "service_code": report.topic.code,
        "description": report.text,
        "agency_responsible": report.organisation.name if report.organisation else "",
        "service_notice": "",
        "requested_datetime": _iso(report.created_at),
        "updated_datetime": _iso(report.closed_at or report.answered_at or report.accepted_at),
        "expected_datetime": report.deadline.isoformat() if report.deadline else None,
        "address": report.address_text,
        "address_id": "",
        "zipcode": "",
        "lat": float(report.latitude),  # coordinates, not amounts
        "long": float(report.longitude),
        "media_url": base + reverse("problems:photo", args=[report.photos.all()[0].pk])
        if report.photos.all()
        else "",
    }


def _public() -> Any:
    return (
        Report.objects.filter(status__in=rules.PUBLIC_STATUSES)
        .select_related("topic", "organisation")
        .prefetch_related("answers", "photos")
    )


def _search(request: HttpRequest) -> JsonResponse:
    reports = _public()
    ids = [v for v in request.GET.get("service_request_id", "").split(",") if v.strip().isdigit()]
    if ids:
        reports = reports.filter(pk__in=[int(v) for v in ids])
    else:
        codes = [c for c in request.GET.get("service_code", "").split(",") if c]
        if codes:
            reports = reports.filter(topic__code__in=codes)
        start = parse_datetime(request.GET.get("start_date", "") or "")
        end = parse_datetime(request.GET.get("end_date", "") or "")
        if (request.GET.get("start_date") and start is None) or (request.GET.get("end_date") and end is None):
            return _error(400, "start_date and end_date are w3c date-times")
        if start is None and end is None:
            start = dt.datetime.now(dt.UTC) - dt.timedelta(days=DEFAULT_WINDOW_DAYS)
        if start is not None:
            reports = reports.filter(created_at__gte=start)
        if end is not None:
            reports = reports.filter(created_at__lte=end)
        statuses = {s for s in request.GET.get("status", "").split(",") if s}
        if statuses - {"open", "closed"}:
            return _error(400, "status is open or closed")
        if statuses == {"open"}:
            reports = reports.exclude(status=rules.CLOSED)
        elif statuses == {"closed"}:
            reports = reports.filter(status=rules.CLOSED)
    base = request.build_absolute_uri("/").rstrip("/")
    return JsonResponse(
        [_request(r, base) for r in reports.order_by("-created_at", "-id")[:MAX_REQUESTS]], safe=False
    )


def _file(request: HttpRequest) -> JsonResponse:
    resident = resident_for_token(request.POST.get("api_key", ""))
    if resident is None:
        return _error(403, "a valid api_key is required")
    code = request.POST.get("service_code", "")
    if not code:
        return _error(400, "service_code is required")
    if not request.POST.get("lat") or not request.POST.get("long"):
        return _error(400, "lat and long are required")
    try:
        report = services.report_file(
            author=resident,
            topic_code=code,
            latitude=request.POST.get("lat"),
            longitude=request.POST.get("long"),
            text=request.POST.get("description", ""),
            photo_uploads=request.FILES.getlist("media"),
            address_text=request.POST.get("address_string", ""),
            source=ReportSource.OPEN311,
        )
    except DomainError as refusal:
        status = 404 if refusal.code == "unknown_topic" else 400
        return JsonResponse(
            [{"code": status, "description": f"{refusal.code}: {refusal.text}"}], status=status, safe=False
        )
    return JsonResponse(
        [{"service_request_id": str(report.pk), "service_notice": "in moderation", "account_id": None}],
        status=201,
        safe=False,
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def requests_view(request: HttpRequest) -> JsonResponse:
    if request.method == "POST":
        return _file(request)
    return _search(request)


@require_GET
def request_detail(request: HttpRequest, request_id: int) -> JsonResponse:
    report = _public().filter(pk=request_id).first()
    if report is None:
        return _error(404, "service_request_id not found")
    return JsonResponse([_request(report, request.build_absolute_uri("/").rstrip("/"))], safe=False)
