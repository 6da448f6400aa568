"""Pure rules of the rewards shop: windows, limit periods, codes. No database here."""

from __future__ import annotations

import datetime as dt
import secrets

from gorod.accounts.models import AccountLevel

# Order and receipt codes avoid letters and digits that are easy to confuse when typed.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
DEFAULT_PICKUP_DAYS = 14


def new_code(length: int = 10) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def in_window(
    *, available_from: dt.datetime | None, available_until: dt.datetime | None, now: dt.datetime
) -> bool:
    return (available_from is None or available_from <= now) and (
        available_until is None or now < available_until
    )


def level_allows(*, resident_level: str, min_level: str) -> bool:
    return AccountLevel.rank(resident_level) >= AccountLevel.rank(min_level)


def limit_period_key(period: str, *, city_day: dt.date) -> str:
    """The bucket an order counts in for a per-resident limit (city calendar)."""
    if period == "day":
        return f"d{city_day.isoformat()}"
    if period == "week":
        year, week, _weekday = city_day.isocalendar()
        return f"w{year}-{week:02d}"
    if period == "month":
        return f"m{city_day.year}-{city_day.month:02d}"
    if period == "year":
        return f"y{city_day.year}"
    return "all"


def pickup_deadline(*, ordered_at: dt.datetime, pickup_days: int) -> dt.datetime:
    return ordered_at + dt.timedelta(days=pickup_days or DEFAULT_PICKUP_DAYS)


def donation_bounds_ok(*, amount: int, minimum: int, maximum: int | None) -> bool:
    return amount >= minimum and (maximum is None or amount <= maximum)


def normalise_typed_code(raw: str) -> str:
    """Staff type codes by hand: drop spaces around, keep the case of the signature."""
    return "".join(raw.split())


def settlement_period_ok(*, start: dt.date, end: dt.date) -> bool:
    """A settlement covers whole city days, at most a year, within sane calendar years."""
    return (
        2000 <= start.year <= 2100 and 2000 <= end.year <= 2100 and start <= end and (end - start).days <= 366
    )
