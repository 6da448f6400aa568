from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def rubles(kopecks: int | None) -> str:
    """Kopecks as roubles with two decimals, grouped as the reader's language writes numbers:
    6 543,21 in Russian, 6,543.21 in English (config/formats)."""
    if kopecks is None:
        return ""
    return number_format(Decimal(int(kopecks)) / 100, decimal_pos=2, force_grouping=True)


@register.filter
def reading(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = f"{value.normalize():f}"
    return text
