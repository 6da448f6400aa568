"""The public map's query and the site's report list by keyset (issue 29)."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from gorod.problems import errors, selectors, services
from gorod.problems.models import Report
from gorod.problems.tests.conftest import INSIDE, TEXT

pytestmark = pytest.mark.django_db

# (min_lon, min_lat, max_lon, max_lat): a street, a district, the whole test city, nowhere
VIEWPORTS = [
    (20.499, 40.499, 20.502, 40.502),
    (20.4, 40.4, 20.6, 40.6),
    (20.0, 40.0, 21.0, 41.0),
    (30.0, 50.0, 30.1, 50.1),
]


@pytest.fixture
def city(author, topic, organisation, moderator) -> list[Report]:
    """45 public reports spread over the test district (plus one still in moderation)."""
    filed = services.report_file(
        author=author, topic_code=topic.code, latitude=INSIDE[0], longitude=INSIDE[1], text=TEXT
    )
    services.report_file(  # stays in moderation: not public (filed before the clones fill the day's limit)
        author=author, topic_code=topic.code, latitude=INSIDE[0], longitude=INSIDE[1], text=TEXT
    )
    first = services.report_accept(report_id=filed.pk, moderator=moderator)
    clones = []
    for n in range(44):
        clone = copy.copy(first)
        clone.pk = None
        clone.latitude = Decimal("40.400000") + Decimal(n) * Decimal("0.004500")
        clone.longitude = Decimal("20.400000") + Decimal(n % 7) * Decimal("0.030000")
        clone.overdue = n % 5 == 0
        clones.append(clone)
    Report.objects.bulk_create(clones)
    return list(selectors.public_reports(selectors.MapFilters()).order_by("-id"))


def orm_points(filters: selectors.MapFilters, limit: int) -> list[tuple]:
    return list(
        selectors.public_reports(filters)
        .order_by("-id")
        .values_list("id", "latitude", "longitude", "status", "overdue", "topic__code", "topic__name")[:limit]
    )


@pytest.mark.parametrize("bbox", VIEWPORTS)
@pytest.mark.parametrize("overdue", [False, True])
def test_map_points_are_the_orm_rows_at_every_viewport(city, topic, bbox, overdue):
    filters = selectors.MapFilters(bbox=bbox, overdue=overdue, topic=topic.code)
    for limit in (selectors.MAP_LIMIT, 10):
        # more runs than psycopg's prepare threshold (5): a prepared statement would be in use by now
        for _ in range(7):
            points = selectors.map_points(filters, limit=limit)
        expected = orm_points(filters, limit)
        assert [
            (p["id"], p["lat"], p["lon"], p["status"], p["overdue"], p["topic"], p["topic_name"])
            for p in points
        ] == [
            (rid, float(lat), float(lon), status, late, code, name)
            for rid, lat, lon, status, late, code, name in expected
        ]
    whole = selectors.map_points(selectors.MapFilters(bbox=VIEWPORTS[2]))
    assert len(whole) == len(city) == 45
    for unknown in (selectors.MapFilters(topic="no-such-topic"), selectors.MapFilters(district="nowhere")):
        for _ in range(7):
            assert selectors.map_points(unknown) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
def test_the_map_query_is_never_prepared_on_postgresql(city):
    for _ in range(10):
        selectors.map_points(selectors.MapFilters(bbox=VIEWPORTS[1]))
    assert not _prepared_map_statements()
    # the same query through the ORM is prepared by now: the check above can see one
    for _ in range(10):
        orm_points(selectors.MapFilters(bbox=VIEWPORTS[1]), selectors.MAP_LIMIT)
    assert _prepared_map_statements()


def _prepared_map_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall() if '"latitude" >=' in row[0]]


def ids(page: selectors.ReportPage) -> list[int]:
    return [r.pk for r in page.reports]


def test_keyset_pages_walk_the_list_both_ways(city, django_assert_max_num_queries):
    everyone = [r.pk for r in city]
    filters = selectors.MapFilters()
    first = selectors.public_report_page(filters, size=20)
    assert ids(first) == everyone[:20] and first.newer is None and first.older == everyone[19]
    with django_assert_max_num_queries(2):  # the page, and whether newer ones exist
        second = selectors.public_report_page(filters, before=first.older, size=20)
    assert ids(second) == everyone[20:40] and second.newer == everyone[20] and second.older == everyone[39]
    last = selectors.public_report_page(filters, before=second.older, size=20)
    assert ids(last) == everyone[40:] and last.older is None and last.newer == everyone[40]
    back = selectors.public_report_page(filters, after=last.newer, size=20)
    assert ids(back) == ids(second) and back.newer == everyone[20] and back.older == everyone[39]
    top = selectors.public_report_page(filters, after=back.newer, size=20)
    assert ids(top) == ids(first) and top.newer is None and top.older == everyone[19]
    # a page boundary whose report left the list (hidden since) still pages from there
    assert ids(selectors.public_report_page(filters, before=everyone[19] + 1, size=20)) == everyone[19:39]


def test_keyset_pages_keep_their_filters(city):
    late = [r.pk for r in city if r.overdue]
    page = selectors.public_report_page(selectors.MapFilters(overdue=True), size=5)
    assert ids(page) == late[:5]
    assert (
        ids(selectors.public_report_page(selectors.MapFilters(overdue=True), before=page.older, size=5))
        == late[5:10]
    )


def test_both_cursors_at_once_are_refused(city):
    with pytest.raises(errors.BadCursor):
        selectors.public_report_page(selectors.MapFilters(), before=10, after=5)


def test_the_list_page_links_by_keyset_and_counts_nothing(client, city, django_assert_max_num_queries):
    url = reverse("problems:map")
    response = client.get(url, {"overdue": "1"})
    assert response.status_code == 200
    late = [r.pk for r in city if r.overdue]
    assert [r.pk for r in response.context["page"].reports] == late  # 9: one page
    response = client.get(url)
    older = city[19].pk
    assert f"before={older}" in response.content.decode()
    response = client.get(url, {"before": older, "district": "test-district"})
    body = response.content.decode()
    assert response.status_code == 200
    assert [r.pk for r in response.context["page"].reports] == [r.pk for r in city[20:40]]
    assert f"district=test-district&amp;after={city[20].pk}" in body
    assert "COUNT(" not in " ".join(q["sql"].upper() for q in _queries(client, url, {"before": older}))


def _queries(client, url, params) -> list[dict]:
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return [q for q in captured.captured_queries if "problems_report" in q["sql"]]


@pytest.mark.parametrize(
    "params",
    [
        {"before": "abc"},
        {"before": "-5"},
        {"after": "0"},
        {"before": "1" * 19},
        {"after": "٣"},  # a digit, but not an ASCII one
        {"before": "10", "after": "5"},
    ],
)
def test_bad_cursors_are_refused_with_a_stable_code(client, city, params):
    response = client.get(reverse("problems:map"), params)
    assert response.status_code == 400
    assert 'data-code="bad_cursor"' in response.content.decode()
    assert response.context["page"].reports == []
