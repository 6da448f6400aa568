"""Pure rules of Electronic Home: shares, reading windows and values, suspicious jumps, payments.

No ORM here; the services feed plain values in and act on the answers.
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from gorod.housing import errors
from gorod.points.rules import percent_of

# ---------------------------------------------------------------- shares and areas


def parse_share(text: str) -> Fraction:
    """'1', '1/2', '0.25' → an exact fraction in (0, 1]; anything else is refused."""
    raw = (text or "").strip().replace(",", ".")
    if not re.fullmatch(r"\d+(/\d+|\.\d+)?", raw):
        raise errors.InvalidShare(field="share")
    try:
        share = Fraction(raw)
    except (ValueError, ZeroDivisionError):
        raise errors.InvalidShare(field="share") from None
    if share <= 0 or share > 1:
        raise errors.InvalidShare(field="share")
    return share


def parse_area(text: str) -> Decimal:
    raw = (text or "").strip().replace(",", ".")
    if not re.fullmatch(r"\d{1,8}(\.\d{1,2})?", raw):
        raise errors.InvalidArea(field="area")
    area = Decimal(raw)
    if area <= 0:
        raise errors.InvalidArea(field="area")
    return area


def share_total(shares: Iterable[tuple[Fraction, int | None]]) -> Fraction:
    """Sum of a premise's shares; rows of one joint group hold one share together (counted once)."""
    total = Fraction(0)
    seen_groups: set[int] = set()
    for share, joint_group in shares:
        if joint_group is not None:
            if joint_group in seen_groups:
                continue
            seen_groups.add(joint_group)
        total += share
    return total


def check_shares(shares: Iterable[tuple[Fraction, int | None]], *, premise: str) -> None:
    total = share_total(shares)
    if total > 1:
        raise errors.SharesExceedWhole(premise=premise, total=str(total), field="share")


# ---------------------------------------------------------------- readings

# Decimal places a resource's readings take (water, heat and gas meters show litres or
# thousandths; Moscow electricity readings are submitted in whole kWh).
DECIMAL_PLACES = {"cold_water": 3, "hot_water": 3, "electricity": 0, "heat": 3, "gas": 3}

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


# ---------------------------------------------------------------- payments

PAYMENT_ORDER = {"created": 0, "processing": 1, "done": 2, "failed": 2, "refunded": 3}
PAYMENT_MOVES = {
    "created": {"processing", "done", "failed"},
    "processing": {"done", "failed"},
    "done": {"refunded"},
    "failed": set(),
    "refunded": set(),
}


def may_move(current: str, target: str) -> bool:
    """Payment states only move forward; the same state again is a no-op, not a move."""
    return target in PAYMENT_MOVES[current]


KOPECKS_PER_ROUBLE = 100


def cashback_base_roubles(amount_kopecks: int) -> int:
    """The base of the bill cashback rule: whole roubles paid (kopecks dropped).

    A point is worth a rouble, so "5% back in points" is 5% of the roubles, rounded down: a
    4,567.89 ₽ payment earns 228 points. The rule once got the kopecks and paid 100× (22,839).
    Dropping the kopecks first gives the same result as rounding 5% of the exact amount down,
    because 5% of under a rouble is under 5 kopecks.
    """
    if isinstance(amount_kopecks, bool) or not isinstance(amount_kopecks, int) or amount_kopecks < 0:
        raise ValueError("a paid amount is a non-negative whole number of kopecks")
    return amount_kopecks // KOPECKS_PER_ROUBLE


def cashback_points(amount_kopecks: int, basis_points: int) -> int:
    """Points a paid amount earns at a percentage rule (500 basis points = 5%), rounded down."""
    return percent_of(cashback_base_roubles(amount_kopecks), basis_points)
