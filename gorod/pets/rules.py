"""Pure rules for pet notices: limits, matching. No database here (photos: gorod.core.images)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from gorod.core import geo

MATCH_RADIUS_M = 2000
MATCH_WINDOW = dt.timedelta(days=14)
MAX_PHOTOS = 3
MAX_PHOTO_BYTES = 5 * 1024 * 1024


def seen_at_ok(seen_at: dt.datetime, now: dt.datetime) -> bool:
    return now - dt.timedelta(days=365) <= seen_at <= now + dt.timedelta(minutes=5)


@dataclass(frozen=True)
class Point:
    id: int
    kind: str
    animal: str
    latitude: Decimal
    longitude: Decimal
    seen_at: dt.datetime


def is_match(lost: Point, found: Point) -> bool:
    """A found notice matches a lost one: same animal, within 2 km and within 14 days."""
    return (
        lost.kind == "lost"
        and found.kind == "found"
        and lost.animal == found.animal
        and abs(found.seen_at - lost.seen_at) <= MATCH_WINDOW
        and geo.distance_m(lost.latitude, lost.longitude, found.latitude, found.longitude) <= MATCH_RADIUS_M
    )


def distance_m(a: Point, b: Point) -> int:
    return round(geo.distance_m(a.latitude, a.longitude, b.latitude, b.longitude))
