"""City time and working days.

Everything is stored in UTC; rules that speak of "the 15th of the month" or "8 working days"
reason in the city's zone (settings.CITY_TIME_ZONE) and on the Russian production calendar.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings
from django.utils import timezone


def city_zone() -> ZoneInfo:
    return ZoneInfo(settings.CITY_TIME_ZONE)


def city_now() -> dt.datetime:
    return timezone.now().astimezone(city_zone())


def city_today() -> dt.date:
    return city_now().date()


def to_city(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(city_zone())


def city_midnight(day: dt.date) -> dt.datetime:
    """The aware instant at which ``day`` starts in the city."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=city_zone())


@lru_cache(maxsize=64)
def _russian_holidays(year: int) -> frozenset[dt.date]:
    # The `holidays` package carries Russia's non-working public holidays, including the
    # government's transfers of days off, per year.
    return frozenset(holidays.country_holidays("RU", years=year).keys())


def is_working_day(
    day: dt.date, *, extra_days_off: Iterable[dt.date] = (), extra_working_days: Iterable[dt.date] = ()
) -> bool:
    """A working day on the Russian production calendar, with operator-entered moved days.

    ``extra_working_days`` are Saturdays or Sundays the government made working days;
    ``extra_days_off`` are weekdays it made days off (both announced yearly).
    """
    if day in set(extra_working_days):
        return True
    if day in set(extra_days_off):
        return False
    if day.weekday() >= 5:
        return False
    return day not in _russian_holidays(day.year)


def add_working_days(
    start: dt.date,
    days: int,
    *,
    extra_days_off: Iterable[dt.date] = (),
    extra_working_days: Iterable[dt.date] = (),
) -> dt.date:
    """The date that is ``days`` working days after ``start`` (``start`` itself not counted)."""
    if days < 0:
        raise ValueError("days must not be negative")
    off = frozenset(extra_days_off)
    on = frozenset(extra_working_days)
    day = start
    remaining = days
    while remaining:
        day += dt.timedelta(days=1)
        if is_working_day(day, extra_days_off=off, extra_working_days=on):
            remaining -= 1
    return day
