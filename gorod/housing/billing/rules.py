"""Pure rules of bills and payments: the states a payment moves through and cashback.

No ORM here; the services feed plain values in and act on the answers."""

from __future__ import annotations

import datetime as dt
import re

from gorod.points.rules import percent_of

PERIOD_RE = re.compile(r"^(\d{4})-(\d{2})(?:-01)?$")

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


def cashback_key(payment_id: int) -> str:
    return f"payment:{payment_id}"


def parse_period(text: str) -> dt.date | None:
    match = PERIOD_RE.match(text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        return None
    return dt.date(int(match.group(1)), int(match.group(2)), 1)
