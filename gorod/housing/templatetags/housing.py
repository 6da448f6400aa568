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
    # plain digits first (normalize() alone may give "1E+2"), then the reader's decimal mark:
    # "156,4" in Russian, "156.4" in English
    return number_format(f"{value.normalize():f}", use_l10n=True)
