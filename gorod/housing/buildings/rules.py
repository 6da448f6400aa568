"""Pure rules of buildings and ownership: shares and areas as the register writes them.

No ORM here; the services feed plain values in and act on the answers."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction

from gorod.housing import errors


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
