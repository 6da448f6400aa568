"""The map's box on PostgreSQL's GiST index answers what the plain ranges answer (ADR 0005's
pairing for ``sql.in_box``), edges included; on SQLite both are the ranges."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection

from gorod.problems import sql
from gorod.problems.models import Report
from gorod.problems.tests.test_map_paging import city  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

# (min_lon, min_lat, max_lon, max_lat); the first two have reports on their edges
# (longitudes 20.4 + k * 0.03, latitudes 40.4 + n * 0.0045), the last is too big for the index.
BOXES = [
    ("20.430000", "40.404500", "20.430000", "40.404500"),
    ("20.400000", "40.400000", "20.430000", "40.418000"),
    ("20.499000", "40.499000", "20.502000", "40.502000"),
    ("20.000000", "40.000000", "21.000000", "41.000000"),
]


def ranges(box: tuple[Decimal, ...]) -> list[int]:
    min_lon, min_lat, max_lon, max_lat = box
    return sorted(
        Report.objects.filter(
            latitude__gte=min_lat, latitude__lte=max_lat, longitude__gte=min_lon, longitude__lte=max_lon
        ).values_list("id", flat=True)
    )


@pytest.mark.parametrize("raw", BOXES)
def test_in_box_is_the_ranges(city, raw):  # noqa: F811
    box = tuple(Decimal(v) for v in raw)
    found = sorted(sql.in_box(Report.objects.all(), *box).values_list("id", flat=True))
    assert found == ranges(box)
    if raw != BOXES[2]:
        assert found, "the box should hold reports, or the comparison proves little"


def test_a_small_box_uses_the_point_condition_on_postgresql_only(city):  # noqa: F811
    small = sql.in_box(Report.objects.all(), *(Decimal(v) for v in BOXES[1]))
    large = sql.in_box(Report.objects.all(), *(Decimal(v) for v in BOXES[3]))
    spatial = connection.vendor == "postgresql"
    assert ("<@" in str(small.query)) is spatial
    assert "<@" not in str(large.query)
