"""Pure rules of meters and readings: windows, values, suspicious jumps, points keys.

No ORM here; the services feed plain values in and act on the answers."""

from __future__ import annotations

import datetime as dt
import re
import statistics
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Protocol

from django.utils.translation import gettext_lazy as _

from gorod.housing import errors

# Decimal places a resource's readings take (water, heat and gas meters show litres or
# thousandths; Moscow electricity readings are submitted in whole kWh).
DECIMAL_PLACES = {"cold_water": 3, "hot_water": 3, "electricity": 0, "heat": 3, "gas": 3}


# The unit a resource's readings and consumption are in (shown on the chart's axis).
UNITS = {
    "cold_water": _("m³"),
    "hot_water": _("m³"),
    "electricity": _("kWh"),
    "heat": _("Gcal"),
    "gas": _("m³"),
}


# Monthly use above which a reading is flagged for the administrator, whatever the history.
MONTHLY_CEILING = {
    "cold_water": Decimal(30),
    "hot_water": Decimal(20),
    "electricity": Decimal(2000),
    "heat": Decimal(10),
    "gas": Decimal(500),
}


# Moscow defaults, editable by the operator as ReadingWindow rows: (from day, to day).
DEFAULT_WINDOWS = {
    "cold_water": (15, 3),
    "hot_water": (15, 3),
    "electricity": (15, 26),
    "heat": (15, 26),
    "gas": (15, 26),
}


JUMP_FACTOR = 3


MIN_HISTORY_FOR_MEDIAN = 3


def tariffs_allowed(resource: str, tariffs: int) -> bool:
    """One tariff for every resource; electricity meters may count two or three (day/night/peak)."""
    return tariffs == 1 or (resource == "electricity" and tariffs in (2, 3))


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def previous_month(day: dt.date) -> dt.date:
    return (day.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def reading_period(city_day: dt.date, *, start_day: int, end_day: int) -> dt.date | None:
    """The period (first of its month) a reading taken on ``city_day`` belongs to, or None if
    the day is outside the window. A window from the 15th to the 3rd belongs to the month in
    which it opens: a reading on 2 December is November's."""
    day = city_day.day
    if start_day <= end_day:
        return first_of_month(city_day) if start_day <= day <= end_day else None
    if day >= start_day:
        return first_of_month(city_day)
    if day <= end_day:
        return previous_month(city_day)
    return None


def window_around(city_day: dt.date, *, start_day: int, end_day: int) -> tuple[dt.date, dt.date] | None:
    """The opening and closing days (both inclusive) of the window ``city_day`` falls in, or
    None. Window days are at most the 28th (a model constraint), so every month has them."""
    day = city_day.day
    if start_day <= end_day:
        if start_day <= day <= end_day:
            return city_day.replace(day=start_day), city_day.replace(day=end_day)
        return None
    if day >= start_day:
        return city_day.replace(day=start_day), next_month(city_day).replace(day=end_day)
    if day <= end_day:
        return previous_month(city_day).replace(day=start_day), city_day.replace(day=end_day)
    return None


def next_opening(city_day: dt.date, *, start_day: int) -> dt.date:
    """The first day after ``city_day`` on which a window opening on ``start_day`` opens."""
    if city_day.day < start_day:
        return city_day.replace(day=start_day)
    return next_month(city_day).replace(day=start_day)


def next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def parse_values(raw: Sequence[object], *, tariffs: int, resource: str, digits: int) -> list[Decimal]:
    """Exactly one value per tariff, each a non-negative number in the meter's format."""
    if len(raw) != tariffs:
        raise errors.ReadingTariffCount(expected=tariffs, field="values")
    places = DECIMAL_PLACES[resource]
    values = []
    for item in raw:
        if isinstance(item, (bool, float)):
            item = str(item)
        text = str(item).strip().replace(",", ".")
        if not _NUMBER.fullmatch(text):
            raise errors.ReadingNotNumeric(field="values")
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise errors.ReadingNotNumeric(field="values") from None
        if value < 0:
            raise errors.ReadingNegative(field="values")
        exponent = value.as_tuple().exponent
        if (
            isinstance(exponent, int)
            and -exponent > places
            and value != value.quantize(Decimal(1).scaleb(-places))
        ):
            raise errors.ReadingPrecision(places=places, field="values")
        if value >= _TEN**digits:
            raise errors.ReadingTooLong(digits=digits, field="values")
        values.append(value.quantize(_THOUSANDTH))
    return values


# Built once: the bulk import parses a month of readings through this function.
_NUMBER = re.compile(r"-?\d+(\.\d+)?")


_TEN = Decimal(10)


_THOUSANDTH = Decimal("0.001")


def check_not_lower(values: Sequence[Decimal], baseline: Sequence[Decimal]) -> None:
    for value, last in zip(values, baseline, strict=False):
        if value < last:
            raise errors.ReadingDecreases(
                last=" / ".join(f"{v.normalize():f}" for v in baseline), field="values"
            )


def consumption(values: Sequence[Decimal], baseline: Sequence[Decimal]) -> Decimal:
    return sum((v - b for v, b in zip(values, baseline, strict=False)), Decimal(0))


def suspicious_reason(use: Decimal, *, history: Sequence[Decimal], resource: str) -> str:
    """Why a month's use looks wrong ('' if it does not): over the resource's ceiling, or more
    than three times the median of earlier months (needs three months of history)."""
    if use > MONTHLY_CEILING[resource]:
        return "over_ceiling"
    if len(history) >= MIN_HISTORY_FOR_MEDIAN:
        median = statistics.median(history)
        if median > 0 and use > JUMP_FACTOR * median:
            return "jump_over_median"
    return ""


def reading_source_key(meter_id: int, period: dt.date) -> str:
    return reading_source_keys([meter_id], period)[0]


def reading_source_keys(meter_ids: Iterable[int], period: dt.date) -> list[str]:
    """``reading_source_key`` for many meters of one period (the month is formatted once)."""
    month = f"{period:%Y-%m}"
    return [f"reading:{meter_id}:{month}" for meter_id in meter_ids]


class UsableFacts(Protocol):
    """What decides whether a meter takes readings (a Meter, or the bulk path's plain row)."""

    @property
    def archived_on(self) -> dt.date | None: ...

    @property
    def verification_due(self) -> dt.date: ...


def check_meter_usable(meter: UsableFacts, today: dt.date) -> None:
    if meter.archived_on is not None and meter.archived_on <= today:
        raise errors.MeterArchived()
    if meter.verification_due < today:
        raise errors.MeterVerificationOverdue(due=meter.verification_due.isoformat())
