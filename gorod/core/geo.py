"""Plain geometry on WGS84 coordinates: point in polygon, distances.

Coordinates are stored as decimals (6 places, about 10 cm); geometry works on them as binary
floating point, which is fine for position (never for amounts). City-scale distances use the
haversine formula on a sphere of the mean Earth radius.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

EARTH_RADIUS_M = 6_371_008.8  # mean radius, IUGG

Number = float | Decimal
Ring = Sequence[Sequence[float]]


def distance_m(lat1: Number, lon1: Number, lat2: Number, lon2: Number) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2) - math.radians(lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def bounding_box(lat: Number, lon: Number, radius_m: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) enclosing a circle: a cheap index pre-filter."""
    dlat = math.degrees(radius_m / EARTH_RADIUS_M)
    dlon = math.degrees(radius_m / (EARTH_RADIUS_M * math.cos(math.radians(lat))))
    return (
        float(lat) - dlat,
        float(lat) + dlat,
        float(lon) - dlon,
        float(lon) + dlon,
    )  # coordinates, not amounts


def _in_ring(lon: float, lat: float, ring: Ring) -> bool:
    inside = False
    count = len(ring)
    j = count - 1
    for i in range(count):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def point_in_polygon(lat: Number, lon: Number, geometry: dict[str, Any]) -> bool:
    """Whether a point lies in a GeoJSON Polygon or MultiPolygon (holes respected)."""
    x, y = float(lon), float(lat)  # coordinates, not amounts
    kind = geometry.get("type")
    polygons = [geometry["coordinates"]] if kind == "Polygon" else geometry.get("coordinates", [])
    if kind not in {"Polygon", "MultiPolygon"}:
        return False
    for rings in polygons:
        if rings and _in_ring(x, y, rings[0]) and not any(_in_ring(x, y, hole) for hole in rings[1:]):
            return True
    return False
