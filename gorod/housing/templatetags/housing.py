from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def rubles(kopecks: int | None) -> str:
    """Kopecks as roubles with two decimals and thin-space thousands: 6 543.21."""
    if kopecks is None:
        return ""
    sign = "-" if kopecks < 0 else ""
    whole, part = divmod(abs(int(kopecks)), 100)
    return f"{sign}{whole:,}".replace(",", "\u202f") + f".{part:02d}"


@register.filter
def reading(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = f"{value.normalize():f}"
    return text
