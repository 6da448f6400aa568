"""Reads of Our City: duplicates nearby, the public map, queues and statistics."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet

from gorod.accounts.models import District
from gorod.accounts.selectors import ADDRESS_QUERY_MIN_LENGTH, address_suggestions
from gorod.core import geo
from gorod.core import time as city_time
from gorod.problems import errors, rules, sql
from gorod.problems.errors import TopicOutOfSeason, UnknownTopic
from gorod.problems.models import (
    Answer,
    MovedDay,
    MovedDayKind,
    Organisation,
    Rating,
    Report,
    ReportEvent,
    ReportStatus,
    Topic,
)

MAP_LIMIT = 500
HIDDEN_STATUSES = sorted({s.value for s in ReportStatus} - rules.PUBLIC_STATUSES)


def topics_in_season(day: dt.date | None = None) -> QuerySet[Topic]:
    day = day or city_time.city_today()
    season = rules.season_of(day)
    return (
        Topic.objects.filter(is_active=True)
        .filter(Q(season="all_year") | Q(season=season))
        .select_related("group")
        .order_by("group__position", "group__name", "name")
    )


def duplicates_near(*, topic_code: str, latitude: float, longitude: float, limit: int = 10) -> list[Report]:
    """Open public reports of the same topic within 250 m, nearest first."""
    min_lat, max_lat, min_lon, max_lon = geo.bounding_box(latitude, longitude, rules.DUPLICATE_RADIUS_M)
    box = (_degrees(min_lon), _degrees(min_lat), _degrees(max_lon), _degrees(max_lat))
    candidates = (
        sql.in_box(
            Report.objects.filter(
                topic__code=topic_code,
                status__in=rules.OPEN_STATUSES & rules.PUBLIC_STATUSES,
            ),
            *box,
        )
        .select_related("topic")
        .annotate(follower_count=Count("followers"))[:200]
    )
    near: list[Report] = []
    for report in candidates:
        distance = geo.distance_m(latitude, longitude, report.latitude, report.longitude)
        if distance <= rules.DUPLICATE_RADIUS_M:
            report.distance_m = round(distance)  # type: ignore[attr-defined]
            near.append(report)
    near.sort(key=lambda r: r.distance_m)  # type: ignore[attr-defined]
    return near[:limit]


@dataclass(frozen=True)
class MapFilters:
    status: str = ""
    topic: str = ""
    district: str = ""
    overdue: bool = False
    bbox: tuple[float, float, float, float] | None = None  # min_lon, min_lat, max_lon, max_lat


def public_reports(filters: MapFilters) -> QuerySet[Report]:
    # "Not hidden" rather than "status IN (public...)": a NOT IN cannot use the status index, so
    # the planners walk the primary key backwards (newest first) and stop at the limit instead
    # of fetching most of the table through the status index and sorting it.
    reports = Report.objects.exclude(status__in=HIDDEN_STATUSES)
    if filters.status:
        reports = reports.filter(status=filters.status)
    # Codes are resolved to ids first (one indexed lookup each): on a join the planner cannot
    # see how common the value is and may fetch and sort every report of a big district.
    if filters.topic:
        topic_id = Topic.objects.filter(code=filters.topic).values_list("id", flat=True).first()
        reports = reports.filter(topic_id=topic_id) if topic_id else reports.none()
    if filters.district:
        district_id = District.objects.filter(code=filters.district).values_list("id", flat=True).first()
        reports = reports.filter(district_id=district_id) if district_id else reports.none()
    if filters.overdue:
        reports = reports.filter(overdue=True)
    if filters.bbox:
        min_lon, min_lat, max_lon, max_lat = (_degrees(v) for v in filters.bbox)
        reports = sql.in_box(reports, min_lon, min_lat, max_lon, max_lat)
    return reports


def _degrees(value: float) -> Decimal:
    """A coordinate as the column stores it (six decimals)."""
    return Decimal(str(value)).quantize(Decimal("0.000001"))


def map_points(filters: MapFilters, *, limit: int = MAP_LIMIT) -> list[dict[str, Any]]:
    """Map markers without personal data: one query, plain values, newest first."""
    rows = sql.unprepared_rows(
        public_reports(filters)
        .order_by("-id")
        .values_list("id", "latitude", "longitude", "status", "overdue", "topic__code", "topic__name")[:limit]
    )
    return [
        {
            "id": rid,
            "lat": float(lat),  # coordinates for the map, not amounts
            "lon": float(lon),
            "status": status,
            "overdue": overdue,
            "topic": code,
            "topic_name": name,
        }
        for rid, lat, lon, status, overdue, code, name in rows
    ]


@dataclass(frozen=True)
class ReportPage:
    """One page of the public report list, newest first, and the cursors of its neighbours."""

    reports: list[Report]
    newer: int | None  # ?after=<newer>: the page of newer reports, None on the first page
    older: int | None  # ?before=<older>: the page of older reports, None on the last page


def public_report_page(
    filters: MapFilters, *, before: int | None = None, after: int | None = None, size: int = 20
) -> ReportPage:
    """A page of public reports by keyset: below ``before``, or above ``after`` (the page just
    newer than one seen), or the newest. Each query reads ``size + 1`` rows along an index and
    stops, whatever the page's depth; there is no total (counting every public report of the
    city on each visit cost more than the page itself)."""
    if before is not None and after is not None:
        raise errors.BadCursor()
    reports = public_reports(filters).select_related("topic", "district")
    if after is not None:
        rows = list(reports.filter(id__gt=after).order_by("id")[: size + 1])
        more_newer = len(rows) > size
        rows = rows[:size][::-1]
        more_older = bool(rows) and reports.filter(id__lt=rows[-1].pk).exists()
    else:
        if before is not None:
            reports = reports.filter(id__lt=before)
        rows = list(reports.order_by("-id")[: size + 1])
        more_older = len(rows) > size
        rows = rows[:size]
        more_newer = (
            before is not None and bool(rows) and public_reports(filters).filter(id__gt=rows[0].pk).exists()
        )
    return ReportPage(
        reports=rows,
        newer=rows[0].pk if rows and more_newer else None,
        older=rows[-1].pk if rows and more_older else None,
    )


def report_detail(report_id: int) -> Report | None:
    return (
        Report.objects.select_related("topic__group", "organisation", "district", "author")
        .prefetch_related("photos", "answers__photos")
        .filter(pk=report_id)
        .first()
    )


def reports_of(resident: Any) -> QuerySet[Report]:
    return (
        Report.objects.filter(author=resident)
        .select_related("topic", "organisation", "district")
        .order_by("-created_at", "-id")
    )


def latest_reports_of(resident: Any, limit: int) -> list[Report]:
    """The resident's newest reports with their topic and status: the home page's list."""
    return list(
        Report.objects.filter(author=resident)
        .select_related("topic")
        .only("pk", "status", "topic")
        .order_by("-created_at", "-id")[:limit]
    )


def responder_queue(organisation_ids: list[int]) -> QuerySet[Report]:
    return (
        Report.objects.filter(organisation_id__in=organisation_ids, status=rules.IN_WORK)
        .select_related("topic", "district", "organisation")
        .order_by("deadline", "id")
    )


def reports_to_moderate() -> QuerySet[Report]:
    return (
        Report.objects.filter(status=rules.MODERATION)
        .select_related("topic", "district", "author")
        .prefetch_related("photos")
        .order_by("created_at", "id")
    )


def answers_to_moderate() -> QuerySet[Answer]:
    return (
        Answer.objects.filter(status=Answer.Status.MODERATION)
        .select_related("report__topic", "organisation", "responder")
        .prefetch_related("photos")
        .order_by("created_at", "id")
    )


def overdue_reports() -> QuerySet[Report]:
    return (
        Report.objects.filter(status__in=rules.DEADLINE_STATUSES, overdue=True)
        .select_related("topic", "organisation", "district")
        .order_by("deadline", "id")
    )


def escalated_reports() -> QuerySet[Report]:
    return (
        Report.objects.filter(status=rules.ESCALATED).select_related("topic", "organisation").order_by("id")
    )


@dataclass(frozen=True)
class OrganisationStats:
    organisation: Organisation
    received: int
    answered_in_time: int
    overdue: int
    refuted_share: Decimal | None  # share of the authors' ratings that refuted, 0..1


def organisation_stats() -> list[OrganisationStats]:
    """Per organisation: received, answered in time, overdue now, share refuted (one query each
    for the report counts and the ratings, however many organisations)."""
    received_statuses = rules.PUBLIC_STATUSES
    organisations = Organisation.objects.annotate(
        received=Count("reports", filter=Q(reports__status__in=received_statuses), distinct=True),
        overdue_now=Count(
            "reports",
            filter=Q(reports__status__in=rules.DEADLINE_STATUSES, reports__overdue=True),
            distinct=True,
        ),
    ).order_by("name")
    in_time = dict(
        Answer.objects.filter(status=Answer.Status.APPROVED, in_time=True)
        .values("organisation_id")
        .annotate(n=Count("report_id", distinct=True))
        .values_list("organisation_id", "n")
    )
    verdicts: dict[int, dict[str, int]] = {}
    for org_id, verdict, n in (
        Rating.objects.filter(is_author=True)
        .values("answer__organisation_id", "verdict")
        .annotate(n=Count("id"))
        .values_list("answer__organisation_id", "verdict", "n")
    ):
        verdicts.setdefault(org_id, {})[verdict] = n
    stats = []
    for org in organisations:
        counts = verdicts.get(org.pk, {})
        total = sum(counts.values())
        share = (
            (Decimal(counts.get("refute", 0)) / Decimal(total)).quantize(Decimal("0.01")) if total else None
        )
        stats.append(
            OrganisationStats(
                organisation=org,
                received=org.received,
                answered_in_time=in_time.get(org.pk, 0),
                overdue=org.overdue_now,
                refuted_share=share,
            )
        )
    return stats


def open_data_reports() -> Iterator[Any]:
    """Public reports for the open data catalogue, without author, text, address or photos:
    topic, district, organisation, place and the dates of the report's course; streams."""
    return (
        public_reports(MapFilters())
        .order_by("id")
        .values(
            "id",
            "status",
            "topic__code",
            "topic__name",
            "topic__group__name",
            "district__code",
            "district__name",
            "organisation__name",
            "latitude",
            "longitude",
            "source",
            "created_at",
            "accepted_at",
            "deadline",
            "overdue",
            "reopen_count",
            "answered_at",
            "closed_at",
        )
        .iterator(chunk_size=5000)
    )


def published_answers(report: Report) -> list[Answer]:
    return list(
        Answer.objects.filter(report=report, status=Answer.Status.APPROVED)
        .select_related("organisation")
        .order_by("created_at", "id")
    )


def report_events(report: Report) -> list[ReportEvent]:
    return list(ReportEvent.objects.filter(report=report).order_by("created_at", "id"))


def moved_days() -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    """(extra days off, extra working days) entered by operators."""
    off: set[dt.date] = set()
    on: set[dt.date] = set()
    for day, kind in MovedDay.objects.values_list("day", "kind"):
        (on if kind == MovedDayKind.WORKING else off).add(day)
    return frozenset(off), frozenset(on)


def deadline_for(start: dt.date, days: int) -> dt.date:
    off, on = moved_days()
    return rules.deadline_from(start, days, extra_days_off=off, extra_working_days=on)


def organisation_for(*, topic: Topic, district_id: int, building_id: int | None) -> Organisation | None:
    """Routing: an organisation covering the building wins over one covering the district."""
    candidates = Organisation.objects.filter(is_active=True, topics=topic).order_by("id")
    if building_id is not None:
        by_building = candidates.filter(buildings__id=building_id).first()
        if by_building is not None:
            return by_building
    return candidates.filter(districts__id=district_id).first()


def topic_for_filing(*, topic_code: str, today: dt.date) -> Topic:
    topic = Topic.objects.filter(code=topic_code, is_active=True).first()
    if topic is None:
        raise UnknownTopic(field="topic")
    if not rules.topic_in_season(topic.season, today):
        raise TopicOutOfSeason(field="topic")
    return topic


def address_search(query: str) -> list[dict[str, Any]]:
    """Suggestions for the place of a report from the city's address register (accounts owns it:
    Our City may not import housing, and the register with coordinates is the accounts layer's)."""
    if len("".join(ch for ch in query if ch.isalnum())) < ADDRESS_QUERY_MIN_LENGTH:
        raise errors.AddressQueryTooShort(field="q", minimum=ADDRESS_QUERY_MIN_LENGTH)
    return [
        {
            "id": address.pk,
            "address": address.text,
            "district": address.district.name,
            "latitude": float(address.latitude),  # coordinates, not amounts
            "longitude": float(address.longitude),
        }
        for address in address_suggestions(query)
    ]
