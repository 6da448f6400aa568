"""Points as residents read them: grouped digits (a no-break space in Russian, a comma in
English) and the unit in the plural form the number takes (1 балл, 2 балла, 5 баллов)."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format
from django.utils.translation import ngettext

register = template.Library()


@register.filter
def points(value: int | None) -> str:
    """``1234`` → "1,234 points" / "1 234 балла"."""
    if value is None or value == "":
        return ""
    amount = int(value)
    return ngettext("%(amount)s point", "%(amount)s points", abs(amount)) % {
        "amount": number_format(amount, force_grouping=True)
    }


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
