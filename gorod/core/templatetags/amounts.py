"""Points as residents read them: grouped digits (a no-break space in Russian, a comma in
English) and the unit in the plural form the number takes (1 балл, 2 балла, 5 баллов)."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format
from django.utils.translation import ngettext

register = template.Library()

MINUS = "\N{MINUS SIGN}"


def _grouped(amount: int, *, plus: bool = False) -> str:
    """Grouped digits with a real minus sign (U+2212), not the hyphen Python writes: a hyphen
    is narrower, breaks lines and is read out as "hyphen" by screen readers. Pages only; the API
    and CSV keep plain numbers."""
    digits = number_format(abs(amount), force_grouping=True)
    if amount < 0:
        return MINUS + digits
    return f"+{digits}" if plus and amount > 0 else digits


@register.filter
def amount(value: int | None, sign: str = "") -> str:
    """A signed amount of points on a page: ``-500`` → "−500"; ``amount:"+"`` also marks gains
    (``500`` → "+500"), for movements on a statement. The one filter for signed figures."""
    if value is None or value == "":
        return ""
    return _grouped(int(value), plus=sign == "+")


@register.filter
def points(value: int | None) -> str:
    """``1234`` → "1,234 points" / "1 234 балла"; a debt keeps its minus sign ("−500 points")."""
    if value is None or value == "":
        return ""
    amount = int(value)
    return ngettext("%(amount)s point", "%(amount)s points", abs(amount)) % {"amount": _grouped(amount)}


@register.filter
def points_unit(value: int | None) -> str:
    """The word alone, in the form the number takes: for a figure set apart from its unit."""
    if value is None or value == "":
        return ""
    return ngettext("point", "points", abs(int(value)))


@register.filter
def roubles(value: int | None) -> str:
    """Whole roubles (budgets, project costs): ``4500000`` → "4,500,000 ₽" / "4 500 000 ₽"; the
    sign needs no plural form."""
    if value is None or value == "":
        return ""
    return f"{number_format(int(value), force_grouping=True)}\N{NO-BREAK SPACE}₽"
