"""Deadlines count working days on the Russian production calendar plus moved days."""

from __future__ import annotations

import datetime as dt

import pytest

from gorod.problems import selectors
from gorod.problems.models import MovedDay

pytestmark = pytest.mark.django_db


def test_eight_working_days_across_the_new_year():
    # Accepted Friday 26 Dec 2025. Worked out by hand:
    #   Sat 27, Sun 28 weekend; Mon 29 = 1, Tue 30 = 2; Wed 31 Dec is a day off (moved from
    #   Sun 5 Jan 2025); 1-8 Jan 2026 New Year holidays; Fri 9 Jan a day off (moved from Sat 3
    #   Jan); Sat 10, Sun 11 weekend; Mon 12 = 3, Tue 13 = 4, Wed 14 = 5, Thu 15 = 6,
    #   Fri 16 = 7; Sat 17, Sun 18 weekend; Mon 19 Jan = 8.
    assert selectors.deadline_for(dt.date(2025, 12, 26), 8) == dt.date(2026, 1, 19)


def test_eight_working_days_across_the_may_holidays():
    # Accepted Wednesday 30 Apr 2025. By hand: Thu 1 May holiday, Fri 2 May day off (moved
    #   from Sat 4 Jan); Sat 3, Sun 4 weekend; Mon 5 = 1, Tue 6 = 2, Wed 7 = 3; Thu 8 May day
    #   off (moved from Sun 23 Feb), Fri 9 Victory Day; Sat 10, Sun 11 weekend; Mon 12 = 4,
    #   Tue 13 = 5, Wed 14 = 6, Thu 15 = 7, Fri 16 May = 8.
    assert selectors.deadline_for(dt.date(2025, 4, 30), 8) == dt.date(2025, 5, 16)


def test_an_operator_entered_working_saturday_counts():
    # Sat 1 Nov 2025 was made a working day (its day off moved to Mon 3 Nov). Accepted Fri
    # 31 Oct, 3 working days. Without the moved day: Sun 2 off, Mon 3 off, Tue 4 Unity Day,
    # Wed 5 = 1, Thu 6 = 2, Fri 7 = 3.
    assert selectors.deadline_for(dt.date(2025, 10, 31), 3) == dt.date(2025, 11, 7)
    MovedDay.objects.create(day=dt.date(2025, 11, 1), kind="working", note="moved to 3 Nov")
    # With it: Sat 1 = 1, Wed 5 = 2, Thu 6 = 3.
    assert selectors.deadline_for(dt.date(2025, 10, 31), 3) == dt.date(2025, 11, 6)


def test_an_operator_entered_day_off_is_skipped():
    # Mon 2 Mar 2026 .. 2 working days: Tue 3 = 1, Wed 4 = 2. With Tue 3 made a day off: Wed 4 = 1,
    # Thu 5 = 2.
    assert selectors.deadline_for(dt.date(2026, 3, 2), 2) == dt.date(2026, 3, 4)
    MovedDay.objects.create(day=dt.date(2026, 3, 3), kind="day_off")
    assert selectors.deadline_for(dt.date(2026, 3, 2), 2) == dt.date(2026, 3, 5)
