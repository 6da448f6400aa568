"""Pure rules of the points economy: amounts, rounding, caps and periods. No database here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gorod.points.errors import NonPositiveAmount

if TYPE_CHECKING:
    from gorod.points.models import RuleVersion


@dataclass(frozen=True)
class Terms:
    """The parts of an earning rule version that decide an amount."""

    amount_simplified: int = 0
    amount_standard: int = 0
    amount_full: int = 0
    percent_basis_points: int | None = None
    cap_amount: int | None = None
    cap_period: str = ""


def check_amount(amount: int) -> None:
    """An amount asked for explicitly is a positive whole number of points."""
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        raise NonPositiveAmount(field="amount")


def terms_of(version: RuleVersion) -> Terms:
    return Terms(
        amount_simplified=version.amount_simplified,
        amount_standard=version.amount_standard,
        amount_full=version.amount_full,
        percent_basis_points=version.percent_basis_points,
        cap_amount=version.cap_amount,
        cap_period=version.cap_period,
    )


def is_in_window(version: RuleVersion, now: dt.datetime) -> bool:
    """Whether the version is in force at ``now`` (from inclusive, until exclusive)."""
    return (version.valid_from is None or version.valid_from <= now) and (
        version.valid_until is None or now < version.valid_until
    )


def requested_amount(
    terms: Terms, *, level: str, base_amount: int | None = None, amount: int | None = None
) -> int:
    """Points an action asks for before any cap.

    A simplified account earns nothing, whatever the rule says (DESIGN.md section 5). A
    percentage rule takes ``base_amount`` (e.g. a bill in kopecks → points at 1 point per rouble
    of cashback) rounded down; an explicit ``amount`` overrides the per-level amounts.
    """
    if level == "simplified" and terms.amount_simplified == 0:
        return 0
    if terms.percent_basis_points is not None:
        if base_amount is None or base_amount < 0:
            raise ValueError("a percentage rule needs a non-negative base amount")
        return percent_of(base_amount, terms.percent_basis_points)
    if amount is not None:
        return amount
    return {
        "simplified": terms.amount_simplified,
        "standard": terms.amount_standard,
        "full": terms.amount_full,
    }[level]


def percent_of(base: int, basis_points: int) -> int:
    """``base`` × basis_points / 10 000, rounded down (integers only, no float)."""
    return (base * basis_points) // 10_000


def clamp_to_cap(requested: int, *, used: int, cap: int | None) -> int:
    """'Up to N': grant what fits under the cap, the remainder, then zero."""
    if cap is None:
        return requested
    return max(0, min(requested, cap - used))


def cap_scope(period: str, *, city_day: dt.date, scope: str | None = None) -> str:
    """The key of the cap window a grant falls into (computed on the city's calendar day)."""
    if period == "day":
        return city_day.isoformat()
    if period == "week":
        year, week, _ = city_day.isocalendar()
        return f"{year}-W{week:02d}"
    if period == "month":
        return f"{city_day.year}-{city_day.month:02d}"
    if period == "year":
        return str(city_day.year)
    if period == "lifetime":
        return "lifetime"
    if period == "scope":
        if not scope:
            raise ValueError("a per-scope cap needs a scope (e.g. the challenge id)")
        return f"scope:{scope}"
    raise ValueError(f"unknown cap period {period!r}")
