"""Pure rules of the rewards shop: windows, limit periods, codes. No database here."""

from __future__ import annotations

import csv
import datetime as dt
import io
import secrets

from gorod.accounts.models import AccountLevel
from gorod.rewards.errors import PromoCodesInvalid

MAX_PROMO_CODE_LENGTH = 64
MAX_PROMO_CODES_PER_UPLOAD = 100_000

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


def settlement_period_ok(*, start: dt.date, end: dt.date) -> bool:
    """A settlement covers whole city days, at most a year, within sane calendar years."""
    return (
        2000 <= start.year <= 2100 and 2000 <= end.year <= 2100 and start <= end and (end - start).days <= 366
    )


def parse_promo_codes(raw: bytes | str) -> list[str]:
    """Codes from a CSV file: the first column of each row; a header row named ``code`` is skipped.

    Duplicates inside the file count once. Refuses the whole file on any bad row.
    """
    try:
        text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError:
        raise PromoCodesInvalid(field="file", reason="not UTF-8 text") from None
    seen: dict[str, None] = {}
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not row or not row[0].strip():
            continue
        code = row[0].strip()
        if number == 1 and code.lower() == "code":
            continue
        if len(code) > MAX_PROMO_CODE_LENGTH or not code.isprintable():
            raise PromoCodesInvalid(field="file", reason=f"row {number}")
        seen[code] = None
    if not seen:
        raise PromoCodesInvalid(field="file", reason="no codes")
    if len(seen) > MAX_PROMO_CODES_PER_UPLOAD:
        raise PromoCodesInvalid(field="file", reason=f"more than {MAX_PROMO_CODES_PER_UPLOAD} codes")
    return list(seen)
