"""Pure rules of decisions: a location must be a GeoJSON Point or Polygon inside the city; the
progress of one in work is a whole number of per cent; a promise missed is late."""

from __future__ import annotations

import datetime as dt
from typing import Any

from gorod.voting import errors

# A generous box around Moscow (incl. New Moscow); a location outside is a typing mistake.
CITY_BOX = (36.8, 55.1, 38.0, 56.1)  # min lon, min lat, max lon, max lat


def _inside(lon: Any, lat: Any) -> bool:
    try:
        x, y = float(lon), float(lat)  # coordinates, not amounts
    except (TypeError, ValueError):
        return False
    return CITY_BOX[0] <= x <= CITY_BOX[2] and CITY_BOX[1] <= y <= CITY_BOX[3]


def check_geometry(location: Any) -> None:
    if location is None:
        return
    if not isinstance(location, dict):
        raise errors.GeometryInvalid(field="location")
    kind, coords = location.get("type"), location.get("coordinates")
    if kind == "Point" and isinstance(coords, list) and len(coords) == 2 and _inside(*coords):
        return
    if kind == "Polygon" and isinstance(coords, list) and coords and isinstance(coords[0], list):
        ring = coords[0]
        if len(ring) >= 4 and all(isinstance(p, list) and len(p) == 2 and _inside(*p) for p in ring):
            return
    raise errors.GeometryInvalid(field="location")


def is_late(status: str, planned_on: dt.date | None, done_on: dt.date | None, today: dt.date) -> bool:
    """The city's promise missed: done after its date, or still not done once its date passed.
    A decision without a date, or cancelled, is never late (cancelling has its own reason)."""
    if planned_on is None or status == "cancelled":
        return False
    if status == "done":
        return done_on is not None and done_on > planned_on
    return today > planned_on


def check_progress(*, status: str, current: int, percent: int) -> None:
    """Progress is 0..100 per cent and changes only while the decision is planned or in work
    (done is 100, a cancelled one stays where it stopped); a change to the same figure is none."""
    if not 0 <= percent <= 100:
        raise errors.DecisionProgressInvalid(field="percent")
    if status in ("done", "cancelled"):
        raise errors.DecisionNotInWork()
    if percent == current:
        raise errors.DecisionProgressUnchanged(field="percent")
