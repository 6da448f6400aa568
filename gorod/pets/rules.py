"""Pure rules for pet notices: photo checks, matching. No database here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from gorod.core import geo

MATCH_RADIUS_M = 2000
MATCH_WINDOW = dt.timedelta(days=14)
MAX_PHOTOS = 3
MAX_PHOTO_BYTES = 5 * 1024 * 1024


def photo_type(head: bytes) -> str | None:
    """The image type from the file's first bytes (never from its name), or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


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
