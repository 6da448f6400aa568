"""Reads of lost and found pets: search, map points, suggestions, conversations."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet

from gorod.accounts.models import District
from gorod.core import geo
from gorod.core.errors import NotFound
from gorod.pets import permissions, rules
from gorod.pets.models import NoticeKind, NoticeStatus, PetMessage, PetNotice


def district_at(latitude: Decimal, longitude: Decimal) -> District | None:
    """The district whose boundary holds the point; None means outside the city."""
    for district in (
        District.objects.exclude(boundary__isnull=True).only("pk", "name", "boundary").order_by("pk")
    ):
        if district.boundary and geo.point_in_polygon(latitude, longitude, district.boundary):
            return district
    return None


def public_notices() -> QuerySet[PetNotice]:
    return (
        PetNotice.objects.filter(status=NoticeStatus.PUBLISHED)
        .select_related("district")
        .prefetch_related("photos")
    )


def search(
    *,
    kind: str = "",
    animal: str = "",
    district_id: int | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[PetNotice]:
    rows = public_notices()
    if kind:
        rows = rows.filter(kind=kind)
    if animal:
        rows = rows.filter(animal=animal)
    if district_id:
        rows = rows.filter(district_id=district_id)
    if since:
        rows = rows.filter(seen_at__date__gte=since)
    if until:
        rows = rows.filter(seen_at__date__lte=until)
    return rows.order_by("-seen_at", "-pk")


def search_page(page: int = 1, per_page: int = 20, **filters: Any) -> Page:
    return Paginator(search(**filters), per_page).get_page(page)


def notice_get(notice_id: int, viewer: Any) -> PetNotice:
    notice = (
        PetNotice.objects.select_related("district").prefetch_related("photos").filter(pk=notice_id).first()
    )
    if notice is None or not permissions.may_view(viewer, notice):
        raise NotFound()
    return notice


def _point(n: PetNotice) -> rules.Point:
    return rules.Point(n.pk, n.kind, n.animal, n.latitude, n.longitude, n.seen_at)


@dataclass(frozen=True)
class Suggestion:
    notice: PetNotice
    distance_m: int


def suggestions(notice: PetNotice, *, limit: int = 20) -> list[Suggestion]:
    """For a lost notice: published found notices of the same animal within 2 km and 14 days
    (and the other way round for a found notice). Bounding-box pre-filter in the database."""
    other = NoticeKind.FOUND if notice.kind == NoticeKind.LOST else NoticeKind.LOST
    min_lat, max_lat, min_lon, max_lon = geo.bounding_box(
        notice.latitude, notice.longitude, rules.MATCH_RADIUS_M
    )
    candidates = (
        public_notices()
        .filter(
            kind=other,
            animal=notice.animal,
            seen_at__gte=notice.seen_at - rules.MATCH_WINDOW,
            seen_at__lte=notice.seen_at + rules.MATCH_WINDOW,
            latitude__gte=Decimal(str(round(min_lat, 6))),
            latitude__lte=Decimal(str(round(max_lat, 6))),
            longitude__gte=Decimal(str(round(min_lon, 6))),
            longitude__lte=Decimal(str(round(max_lon, 6))),
        )
        .exclude(pk=notice.pk)[:500]
    )
    me = _point(notice)
    found = []
    for candidate in candidates:
        lost, seen = (me, _point(candidate)) if notice.kind == NoticeKind.LOST else (_point(candidate), me)
        if rules.is_match(lost, seen):
            found.append(Suggestion(candidate, rules.distance_m(me, _point(candidate))))
    found.sort(key=lambda s: (s.distance_m, -s.notice.seen_at.timestamp()))
    return found[:limit]


def moderation_queue() -> QuerySet[PetNotice]:
    return (
        PetNotice.objects.filter(status=NoticeStatus.PENDING)
        .select_related("district", "author")
        .prefetch_related("photos")
        .order_by("created_at", "pk")
    )


def my_notices(resident: Any) -> QuerySet[PetNotice]:
    return PetNotice.objects.filter(author=resident).select_related("district").order_by("-created_at")


@dataclass(frozen=True)
class Thread:
    other_id: int
    other_name: str
    messages: list[PetMessage]


def conversations(notice: PetNotice, viewer: Any) -> list[Thread]:
    """The author sees a thread per person who wrote; anyone else sees only their own thread."""
    if not getattr(viewer, "is_authenticated", False):
        return []
    rows = PetMessage.objects.filter(notice=notice).select_related("sender", "recipient")
    if notice.author_id != viewer.pk:
        rows = rows.filter(Q(sender=viewer) | Q(recipient=viewer))
    threads: dict[int, Thread] = {}
    for message in rows.order_by("created_at", "pk"):
        other = message.recipient if message.sender_id == notice.author_id else message.sender
        thread = threads.setdefault(other.pk, Thread(other.pk, other.display_name, []))
        thread.messages.append(message)
    return list(threads.values())


def map_features(rows: QuerySet[PetNotice], *, limit: int = 500) -> dict[str, Any]:
    """GeoJSON for the map (public fields only, never contacts)."""
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [float(n.longitude), float(n.latitude)]},
            "properties": {
                "id": n.pk,
                "kind": n.kind,
                "animal": n.animal,
                "label": f"{n.get_kind_display()}: {n.get_animal_display()}",
                "seen_at": n.seen_at.isoformat(),
                "url": f"/pets/{n.pk}/",
            },
        }
        for n in rows[:limit]
    ]
    return {"type": "FeatureCollection", "features": features}
