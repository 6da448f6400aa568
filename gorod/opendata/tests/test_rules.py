from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from gorod.opendata import rules


def _merge(rows):
    return ("pooled", sum(n for _, n in rows))


def test_small_groups_are_pooled_and_a_small_pool_is_left_out():
    rows = [("a", 25), ("b", 10), ("c", 4), ("d", 7)]
    assert rules.pool_small_groups(rows, size=lambda r: r[1], merge=_merge) == [
        ("a", 25),
        ("b", 10),
        ("pooled", 11),
    ]
    assert rules.pool_small_groups([("a", 12), ("c", 4), ("d", 5)], size=lambda r: r[1], merge=_merge) == [
        ("a", 12)
    ]
    assert rules.pool_small_groups([], size=lambda r: r[1], merge=_merge) == []


@pytest.mark.parametrize(
    ("deadline", "answered_on", "overdue", "expected"),
    [
        (None, None, False, "none"),
        (dt.date(2026, 3, 10), dt.date(2026, 3, 10), False, "met"),
        (dt.date(2026, 3, 10), dt.date(2026, 3, 11), False, "missed"),
        (dt.date(2026, 3, 10), None, True, "missed"),
        (dt.date(2026, 3, 4), None, False, "missed"),  # past the deadline before the job marked it
        (dt.date(2026, 3, 10), None, False, "pending"),
    ],
)
def test_deadline_outcome(deadline, answered_on, overdue, expected):
    today = dt.date(2026, 3, 5)
    assert (
        rules.deadline_outcome(deadline=deadline, answered_on=answered_on, overdue=overdue, today=today)
        == expected
    )


def test_places_are_rounded_to_about_a_hundred_metres():
    assert rules.rounded_place(Decimal("55.751244")) == Decimal("55.751")
    assert rules.rounded_place(Decimal("37.618423")) == Decimal("37.618")
    assert rules.rounded_place(Decimal("37.6185")) == Decimal("37.618")  # half to even
    assert rules.rounded_place(None) is None


def test_licence_from_the_setting():
    assert rules.licence_of("CC-BY-4.0").path == "https://creativecommons.org/licenses/by/4.0/"
    assert rules.licence_of("cc0-1.0").name == "CC0-1.0"
    custom = rules.licence_of("OGL-RU|Open Government Licence|https://data.example.city/licence")
    assert (custom.name, custom.title) == ("OGL-RU", "Open Government Licence")
    with pytest.raises(ValueError, match="GOROD_OPEN_DATA_LICENCE"):
        rules.licence_of("all rights reserved")
    with pytest.raises(ValueError, match="GOROD_OPEN_DATA_LICENCE"):
        rules.licence_of("X||")


def test_cells_in_csv_and_json():
    moment = dt.datetime(2026, 3, 5, 12, 30, 15, 123456, tzinfo=dt.timezone(dt.timedelta(hours=3)))
    assert rules.csv_value(moment) == "2026-03-05T09:30:15Z"
    assert rules.json_value(moment) == "2026-03-05T09:30:15Z"
    assert rules.csv_value(None) == ""
    assert rules.csv_value(True) == "true"
    assert rules.csv_value(Decimal("55.750")) == "55.750"
    assert rules.json_value(dt.date(2026, 3, 5)) == "2026-03-05"
