from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gorod.accounts.edge import resident_of
from gorod.points import selectors


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("cursor", "")
    cursor = int(raw) if raw.isascii() and raw.isdigit() else None  # not "²", which int() refuses
    page = selectors.statement(resident_of(request), cursor=cursor, limit=25)
    return render(
        request,
        "points/mine.html",
        {"balance": selectors.balance(resident_of(request)), "page": page},
    )


def how(request: HttpRequest) -> HttpResponse:
    """'How to earn and spend points', generated from the rules in force."""
    rules = selectors.active_rules()
    by_programme: dict[str, list[selectors.PublishedRule]] = {}
    for rule in rules:
        by_programme.setdefault(rule.programme.name, []).append(rule)
    return render(
        request,
        "points/how.html",
        {
            "by_programme": by_programme,
            "totals": selectors.programme_totals(),
            "city": selectors.city_totals(),
        },
    )
