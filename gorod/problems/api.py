"""/api/v1/problems: filing, duplicates, following, moderation, answers, ratings, map, statistics."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Annotated, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import BeforeValidator, WithJsonSchema

from gorod.accounts.auth import public_or_signed_in
from gorod.accounts.edge import resident_of
from gorod.core.api_fields import QueryBool, empty_as_none, files_only, text_pattern
from gorod.core.errors import PermissionDenied
from gorod.core.privacy_text import mask_contacts
from gorod.problems import permissions, rules, selectors, services, services_answers
from gorod.problems.errors import ReportNotFound
from gorod.problems.models import Report, ReportSource

# Up to MAX_PHOTOS photos, as the document says (the service refuses more).
Photos = Annotated[list[UploadedFile], File(max_length=rules.MAX_PHOTOS)]

API_PREFIX = "/problems"
router = Router(tags=["problems"])


class TopicOut(Schema):
    code: str
    name: str
    group: str
    season: str
    photo_required: bool
    deadline_days: int


class ReportIn(Schema):
    topic: str = Field(max_length=64)
    # The place: an address of the city's register (building_id, from GET /addresses) gives the
    # coordinates; latitude and longitude (a point picked on a map) are needed only without one.
    latitude: Annotated[
        Decimal | None,
        BeforeValidator(empty_as_none),
        WithJsonSchema({"type": "number", "minimum": -90, "maximum": 90}),
    ] = Field(None, ge=-90, le=90)
    longitude: Annotated[
        Decimal | None,
        BeforeValidator(empty_as_none),
        WithJsonSchema({"type": "number", "minimum": -180, "maximum": 180}),
    ] = Field(None, ge=-180, le=180)
    text: str = Field(max_length=20_000, pattern=text_pattern(rules.MIN_TEXT_LENGTH))
    # A form field cannot carry null (a client would send "null"): none is the field left out.
    building_id: Annotated[
        int | None,
        BeforeValidator(empty_as_none),
        WithJsonSchema({"type": "integer", "minimum": 1, "maximum": 2**62}),
    ] = Field(None, ge=1, le=2**62)
    address: str = Field("", max_length=500)


class ReportOut(Schema):
    id: int
    topic: str
    topic_name: str
    status: str
    latitude: float
    longitude: float
    district: str
    organisation: str | None
    text: str
    deadline: dt.date | None
    overdue: bool
    reopen_count: int
    created_at: dt.datetime
    photos: list[str]


class DuplicateOut(Schema):
    id: int
    topic: str
    status: str
    distance_m: int
    latitude: float
    longitude: float
    text: str


class MapPointOut(Schema):
    id: int
    lat: float
    lon: float
    status: str
    overdue: bool
    topic: str
    topic_name: str


_LON = r"-?(?:180(?:\.0+)?|(?:1[0-7][0-9]|[1-9]?[0-9])(?:\.[0-9]+)?)"
_LAT = r"-?(?:90(?:\.0+)?|[1-8]?[0-9](?:\.[0-9]+)?)"
# Plain decimal degrees in range: no exponent, infinity or NaN reaches the database.
BBOX_PATTERN = rf"^(?:{_LON},{_LAT},{_LON},{_LAT})?$"


class MapQuery(Schema):
    status: str = ""
    topic: str = ""
    district: str = ""
    overdue: QueryBool = False
    bbox: str = Field(
        "",
        pattern=BBOX_PATTERN,
        description="min_lon,min_lat,max_lon,max_lat in degrees (longitude -180..180, latitude -90..90)",
    )


class ReportDecisionIn(Schema):
    decision: Literal["accept", "reject"]
    reason: str = Field("", max_length=2000)
    organisation_id: int | None = Field(None, ge=1, le=2**62)


class AnswerDecisionIn(Schema):
    decision: Literal["approve", "return"]
    reason: str = Field("", max_length=2000)


class RerouteIn(Schema):
    organisation_id: int
    reason: str


class AnswerOut(Schema):
    id: int
    report_id: int
    status: str
    text: str
    in_time: bool


class RatingIn(Schema):
    score: int = Field(ge=1, le=5)
    verdict: Literal["", "confirm", "refute"] = ""


class RatingOut(Schema):
    id: int
    score: int
    verdict: str
    report_status: str


class StatsOut(Schema):
    organisation: str
    code: str
    received: int
    answered_in_time: int
    overdue: int
    refuted_share: Decimal | None


class OkOut(Schema):
    ok: bool


def report_out(report: Report) -> ReportOut:
    return ReportOut(
        id=report.pk,
        topic=report.topic.code,
        topic_name=report.topic.name,
        status=report.status,
        latitude=float(report.latitude),  # coordinates, not amounts
        longitude=float(report.longitude),
        district=report.district.name,
        organisation=report.organisation.name if report.organisation else None,
        text=mask_contacts(report.text),
        deadline=report.deadline,
        overdue=report.overdue,
        reopen_count=report.reopen_count,
        created_at=report.created_at,
        photos=[f"/problems/photos/{p.pk}/" for p in report.photos.all() if p.answer_id is None],
    )


def _bbox(raw: str) -> tuple[float, float, float, float] | None:
    """The box of a ``bbox`` the schema's pattern already admitted (finite degrees, in range)."""
    if not raw:
        return None
    min_lon, min_lat, max_lon, max_lat = (float(v) for v in raw.split(","))
    return (min_lon, min_lat, max_lon, max_lat)


@router.get("/topics", response=list[TopicOut], auth=None)
def list_topics(request: HttpRequest) -> list[TopicOut]:
    return [
        TopicOut(
            code=t.code,
            name=t.name,
            group=t.group.name,
            season=t.season,
            photo_required=t.photo_required,
            deadline_days=t.deadline_days,
        )
        for t in selectors.topics_in_season()
    ]


class AddressOut(Schema):
    id: int = Field(description="The address's id in the city's register: send it as building_id.")
    address: str
    district: str
    latitude: float
    longitude: float


@router.get("/addresses", response=list[AddressOut], auth=None)
def search_addresses(
    request: HttpRequest,
    # at least two letters or digits (selectors.ADDRESS_QUERY_MIN_LENGTH), as the service checks
    q: str = Query(..., max_length=200, pattern=r"^[^\x00]*[^\W_][^\x00]*[^\W_][^\x00]*$"),
) -> list[AddressOut]:
    """Suggestions from the city's own address register (no external geocoder): addresses whose
    text or district contains every word typed, in the request's language; at most 8."""
    return [AddressOut(**suggestion) for suggestion in selectors.address_search(q)]


@router.get("/duplicates", response=list[DuplicateOut], auth=None)
def list_duplicates(
    request: HttpRequest,
    topic: str,
    latitude: float = Query(..., ge=-90, le=90),
    longitude: float = Query(..., ge=-180, le=180),
) -> list[DuplicateOut]:
    return [
        DuplicateOut(
            id=r.pk,
            topic=r.topic.name,
            status=r.get_status_display(),
            distance_m=r.distance_m,  # type: ignore[attr-defined]
            latitude=float(r.latitude),
            longitude=float(r.longitude),
            text=mask_contacts(r.text)[:200],
        )
        for r in selectors.duplicates_near(topic_code=topic, latitude=latitude, longitude=longitude)
    ]


@router.post("/reports", response={201: ReportOut})
def file_report(
    request: HttpRequest,
    payload: Form[ReportIn],
    photos: Photos = None,  # type: ignore[assignment]
) -> Status[ReportOut]:
    files_only(request, "photos")
    report = services.report_file(
        author=resident_of(request),
        topic_code=payload.topic,
        latitude=payload.latitude,
        longitude=payload.longitude,
        text=payload.text,
        photo_uploads=list(photos or []),
        building_id=payload.building_id,
        address_text=payload.address,
        source=ReportSource.API,
    )
    detail = selectors.report_detail(report.pk)
    assert detail is not None
    return Status(201, report_out(detail))


@router.get("/reports/mine", response=list[ReportOut])
def my_reports(request: HttpRequest, offset: int = 0, limit: int = 20) -> list[ReportOut]:
    limit = max(1, min(limit, 100))
    reports = selectors.reports_of(resident_of(request)).prefetch_related("photos")[
        max(offset, 0) : max(offset, 0) + limit
    ]
    return [report_out(r) for r in reports]


@router.get("/reports/{report_id}", response=ReportOut, auth=public_or_signed_in)
def get_report(request: HttpRequest, report_id: int) -> ReportOut:
    report = selectors.report_detail(report_id)
    if report is None or not permissions.may_view(request.user, report):
        raise ReportNotFound()
    return report_out(report)


@router.post("/reports/{report_id}/follow", response={201: OkOut})
def follow_report(request: HttpRequest, report_id: int) -> Status[OkOut]:
    services.report_follow(report_id=report_id, resident=resident_of(request))
    return Status(201, OkOut(ok=True))


@router.post("/reports/{report_id}/moderation", response=ReportOut)
def moderate_report(request: HttpRequest, report_id: int, payload: ReportDecisionIn) -> ReportOut:
    if payload.decision == "accept":
        services.report_accept(
            report_id=report_id,
            moderator=resident_of(request),
            organisation_id=payload.organisation_id,
        )
    else:
        services.report_reject(report_id=report_id, moderator=resident_of(request), reason=payload.reason)
    detail = selectors.report_detail(report_id)
    assert detail is not None
    return report_out(detail)


@router.post("/reports/{report_id}/reroute", response=ReportOut)
def reroute_report(request: HttpRequest, report_id: int, payload: RerouteIn) -> ReportOut:
    services.report_reroute(
        report_id=report_id,
        operator=resident_of(request),
        organisation_id=payload.organisation_id,
        reason=payload.reason,
    )
    detail = selectors.report_detail(report_id)
    assert detail is not None
    return report_out(detail)


@router.get("/queue", response=list[ReportOut])
def responder_queue(request: HttpRequest, offset: int = 0, limit: int = 50) -> list[ReportOut]:
    organisation_ids = permissions.organisation_ids_of(resident_of(request))
    if not organisation_ids:
        raise PermissionDenied()
    limit = max(1, min(limit, 100))
    reports = selectors.responder_queue(organisation_ids).prefetch_related("photos")
    return [report_out(r) for r in reports[max(offset, 0) : max(offset, 0) + limit]]


@router.post("/reports/{report_id}/answers", response={201: AnswerOut})
def answer_report(
    request: HttpRequest,
    report_id: int,
    text: str = Form(..., max_length=20_000, pattern=text_pattern(services_answers.MIN_ANSWER_LENGTH)),
    photos: Photos = None,  # type: ignore[assignment]
) -> Status[AnswerOut]:
    files_only(request, "photos")
    answer = services_answers.answer_submit(
        report_id=report_id,
        responder=resident_of(request),
        text=text,
        photo_uploads=list(photos or []),
    )
    return Status(
        201,
        AnswerOut(
            id=answer.pk, report_id=report_id, status=answer.status, text=answer.text, in_time=answer.in_time
        ),
    )


@router.post("/answers/{answer_id}/moderation", response=AnswerOut)
def moderate_answer(request: HttpRequest, answer_id: int, payload: AnswerDecisionIn) -> AnswerOut:
    if payload.decision == "approve":
        answer = services_answers.answer_approve(answer_id=answer_id, moderator=resident_of(request))
    else:
        answer = services_answers.answer_return(
            answer_id=answer_id,
            moderator=resident_of(request),
            reason=payload.reason,
        )
    return AnswerOut(
        id=answer.pk,
        report_id=answer.report_id,
        status=answer.status,
        text=answer.text,
        in_time=answer.in_time,
    )


@router.post("/reports/{report_id}/rating", response={201: RatingOut})
def rate_report(request: HttpRequest, report_id: int, payload: RatingIn) -> Status[RatingOut]:
    rating = services_answers.rating_give(
        report_id=report_id,
        resident=resident_of(request),
        score=payload.score,
        verdict=payload.verdict,
    )
    status = Report.objects.filter(pk=report_id).values_list("status", flat=True).get()
    return Status(
        201, RatingOut(id=rating.pk, score=rating.score, verdict=rating.verdict, report_status=status)
    )


@router.get("/map", response=list[MapPointOut], auth=None)
def public_map(request: HttpRequest, filters: Query[MapQuery]) -> HttpResponse:
    """Public reports as map points without personal data (newest 500 in the box)."""
    points = selectors.map_points(
        selectors.MapFilters(
            status=filters.status,
            topic=filters.topic,
            district=filters.district,
            overdue=filters.overdue,
            bbox=_bbox(filters.bbox),
        )
    )
    # Plain values already in MapPointOut's shape (a test pins it), written as ninja would: its
    # validation of each marker cost ~17 us, so a street of 83 markers at 1M reports took 1.7x
    # the time of one with 8 (bench/scaling.py), growing with what is shown, not what is stored.
    return HttpResponse(json.dumps(points), content_type="application/json; charset=utf-8")


@router.get("/statistics", response=list[StatsOut], auth=None)
def statistics(request: HttpRequest) -> list[StatsOut]:
    return [
        StatsOut(
            organisation=s.organisation.name,
            code=s.organisation.code,
            received=s.received,
            answered_in_time=s.answered_in_time,
            overdue=s.overdue,
            refuted_share=s.refuted_share,
        )
        for s in selectors.organisation_stats()
    ]


from gorod.problems import api_history  # noqa: E402

api_history.mount(router)
