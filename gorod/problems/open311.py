"""Open311 GeoReport v2: discovery, services, service definitions, requests and tokens, each in
XML (the specification's default) and JSON, chosen by the URL's extension.

Standard clients list services (our topics in season, with their terms as attributes) and read
public requests (accepted reports, never personal data). Filing (POST requests) needs an
``api_key``: a resident's API token, so a request is filed on behalf of that resident and goes to
moderation like any other. It is not public until a moderator accepts it, so filing answers a
``token``, and ``GET tokens/{token}`` gives the ``service_request_id`` once it can be read. A
request may give ``address_string`` (or ``address_id``) from the city's address register instead
of coordinates. Errors follow the specification: a list of ``{"code", "description"}``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from gorod.accounts.models import Address
from gorod.accounts.selectors import address_by_text, address_get, resident_for_token
from gorod.core import time as city_time
from gorod.core.errors import DomainError
from gorod.problems import rules, selectors, services
from gorod.problems.models import Report, ReportSource, Topic
from gorod.problems.open311_render import answer, error

MAX_REQUESTS = 1000
DEFAULT_WINDOW_DAYS = 90
CHANGESET = "2026-03-01T00:00:00Z"
SIGNING_SALT = "gorod.problems.open311.token"  # a namespace for the signer, not a secret
OPEN_311_STATUS = {
    rules.IN_WORK: "open",
    rules.ANSWER_MODERATION: "open",
    rules.ANSWERED: "open",
    rules.ESCALATED: "open",
    rules.CLOSED: "closed",
}


def _iso(moment: dt.datetime | None) -> str | None:
    """A full ISO 8601 date-time in the city's zone, to the second (``2026-03-05T12:00:00+03:00``)."""
    return city_time.to_city(moment).replace(microsecond=0).isoformat() if moment else None


def _due(deadline: dt.date | None) -> str | None:
    """The end of the deadline's day in the city: an answer that day is in time."""
    if deadline is None:
        return None
    return _iso(city_time.city_midnight(deadline + dt.timedelta(days=1)) - dt.timedelta(seconds=1))


def _signer() -> signing.Signer:
    return signing.Signer(salt=SIGNING_SALT, sep="~")


def token_for(report: Report) -> str:
    return _signer().sign(str(report.pk))


def _report_of_token(token: str) -> int | None:
    try:
        return int(_signer().unsign(token))
    except (signing.BadSignature, ValueError):
        return None


@require_GET
def discovery(request: HttpRequest, fmt: str = "json") -> HttpResponse:
    base = request.build_absolute_uri(reverse("open311:discovery", args=[fmt])).rsplit("/", 1)[0]
    return answer(
        fmt,
        "discovery",
        {
            "changeset": CHANGESET,
            "contact": "Our City, gorod",
            "key_service": request.build_absolute_uri(reverse("accounts:profile")),
            "endpoints": [
                {
                    "specification": "http://wiki.open311.org/GeoReport_v2",
                    "url": base,
                    "changeset": CHANGESET,
                    "type": "production",
                    "formats": ["text/xml", "application/json"],
                }
            ],
        },
    )


def _service(topic: Topic) -> dict[str, Any]:
    return {
        "service_code": topic.code,
        "service_name": topic.name,
        "description": topic.description or topic.name,
        "metadata": True,
        "type": "realtime",
        "keywords": topic.season,
        "group": topic.group.name,
    }


@require_GET
def services_list(request: HttpRequest, fmt: str) -> HttpResponse:
    return answer(fmt, "services", [_service(t) for t in selectors.topics_in_season()])


def _attributes(topic: Topic) -> list[dict[str, Any]]:
    """The category's terms as informational attributes (``variable`` false: nothing to fill in)."""
    terms = [
        ("deadline", f"Answered within {topic.deadline_days} working days of acceptance."),
        (
            "photo",
            "A photo (media) is required for this service."
            if topic.photo_required
            else "A photo (media) is welcome but not required.",
        ),
    ]
    if topic.season != "all_year":
        terms.append(("season", f"Offered in {topic.season} only."))
    return [
        {
            "variable": False,
            "code": code,
            "datatype": "string",
            "required": False,
            "datatype_description": "",
            "order": order,
            "description": description,
        }
        for order, (code, description) in enumerate(terms, start=1)
    ]


@require_GET
def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    topic = Topic.objects.filter(code=code, is_active=True).select_related("group").first()
    if topic is None:
        return error(fmt, 404, "service_code not found")
    return answer(fmt, "service_definition", {"service_code": code, "attributes": _attributes(topic)})


def _request(report: Report, base: str) -> dict[str, Any]:
    published = [a for a in report.answers.all() if a.status == "approved"]
    photos = list(report.photos.all())
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
        "expected_datetime": _due(report.deadline),
        "address": report.address_text,
        "address_id": str(report.building_id) if report.building_id else "",
        "zipcode": "",
        "lat": float(report.latitude),  # coordinates, not amounts
        "long": float(report.longitude),
        "media_url": base + reverse("problems:photo", args=[photos[0].pk]) if photos else "",
    }


def _public() -> Any:
    return (
        Report.objects.filter(status__in=rules.PUBLIC_STATUSES)
        .select_related("topic", "organisation")
        .prefetch_related("answers", "photos")
    )


def _search(request: HttpRequest, fmt: str) -> HttpResponse:
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
            return error(fmt, 400, "start_date and end_date are w3c date-times")
        if start is None and end is None:
            start = timezone.now() - dt.timedelta(days=DEFAULT_WINDOW_DAYS)
        if start is not None:
            reports = reports.filter(created_at__gte=start)
        if end is not None:
            reports = reports.filter(created_at__lte=end)
        statuses = {s for s in request.GET.get("status", "").split(",") if s}
        if statuses - {"open", "closed"}:
            return error(fmt, 400, "status is open or closed")
        if statuses == {"open"}:
            reports = reports.exclude(status=rules.CLOSED)
        elif statuses == {"closed"}:
            reports = reports.filter(status=rules.CLOSED)
    base = request.build_absolute_uri("/").rstrip("/")
    found = [_request(r, base) for r in reports.order_by("-created_at", "-id")[:MAX_REQUESTS]]
    return answer(fmt, "service_requests", found)


def _place(request: HttpRequest) -> tuple[str, str, Address | None] | str:
    """(lat, long, the register's address if one was given) or why the place is missing."""
    lat, lon = request.POST.get("lat", ""), request.POST.get("long", "")
    address_id, address_string = request.POST.get("address_id", ""), request.POST.get("address_string", "")
    address = None
    if address_id:
        address = address_get(int(address_id)) if address_id.isdigit() else None
        if address is None:
            return "address_id is not in the city's address register"
    elif address_string and not (lat and lon):
        address = address_by_text(address_string)
        if address is None:
            return "address_string is not in the city's address register; send lat and long"
    if lat and lon:
        return lat, lon, address
    if address is not None:
        return str(address.latitude), str(address.longitude), address
    return "lat and long, address_string or address_id are required"


def _file(request: HttpRequest, fmt: str) -> HttpResponse:
    resident = resident_for_token(request.POST.get("api_key", ""))
    if resident is None:
        return error(fmt, 403, "a valid api_key is required")
    code = request.POST.get("service_code", "")
    if not code:
        return error(fmt, 400, "service_code is required")
    place = _place(request)
    if isinstance(place, str):
        return error(fmt, 400, place)
    lat, lon, address = place
    try:
        report = services.report_file(
            author=resident,
            topic_code=code,
            latitude=lat,
            longitude=lon,
            text=request.POST.get("description", ""),
            photo_uploads=request.FILES.getlist("media"),
            building_id=address.pk if address else None,
            address_text=request.POST.get("address_string", ""),
            source=ReportSource.OPEN311,
        )
    except DomainError as refusal:
        status = 404 if refusal.code == "unknown_topic" else 400
        return error(fmt, status, f"{refusal.code}: {refusal.text}")
    # In moderation, not readable yet: a token, which GET tokens/{token} turns into the id.
    return answer(
        fmt,
        "service_requests",
        [{"token": token_for(report), "service_notice": "in moderation", "account_id": None}],
        status=201,
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def requests_view(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _file(request, fmt)
    return _search(request, fmt)


@require_GET
def request_detail(request: HttpRequest, request_id: int, fmt: str) -> HttpResponse:
    report = _public().filter(pk=request_id).first()
    if report is None:
        return error(fmt, 404, "service_request_id not found")
    return answer(fmt, "service_requests", [_request(report, request.build_absolute_uri("/").rstrip("/"))])


@require_GET
def token_detail(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    """The request's id once a moderator has accepted it; only the token before (or if refused)."""
    report_id = _report_of_token(token)
    if report_id is None:
        return error(fmt, 404, "token not found")
    found: dict[str, Any] = {"token": token}
    if Report.objects.filter(pk=report_id, status__in=rules.PUBLIC_STATUSES).exists():
        found = {"service_request_id": str(report_id), "token": token}
    return answer(fmt, "service_requests", [found])
