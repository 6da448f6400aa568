"""Pulse of the capital: the published items and rating one (htmx, works without JS)."""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from gorod.accounts.models import Resident
from gorod.core.errors import DomainError
from gorod.voting.pages import is_htmx, page_number
from gorod.voting.ratings import selectors as ratings_selectors
from gorod.voting.ratings import services as ratings
from gorod.voting.ratings.models import RatedItem, Rating

PULSE_PAGE_SIZE = 20


def pulse(request: HttpRequest) -> HttpResponse:
    """Published novelties; the ones I rated show the average and distribution."""
    page = page_number(request)
    rows = list(
        RatedItem.objects.filter(published=True).order_by("-created_at", "-pk")[
            (page - 1) * PULSE_PAGE_SIZE : page * PULSE_PAGE_SIZE + 1
        ]
    )
    items = rows[:PULSE_PAGE_SIZE]
    mine: dict[int, Rating] = {}
    if request.user.is_authenticated:
        mine = {r.item_id: r for r in Rating.objects.filter(resident=request.user, item__in=items)}
    summaries = ratings_selectors.rating_summaries(list(mine))
    cards = [_card(item, mine.get(item.pk), summaries.get(item.pk)) for item in items]
    return render(
        request,
        "voting/quizzes/pulse.html",
        {"cards": cards, "page": page, "has_next": len(rows) > PULSE_PAGE_SIZE},
    )


def _card(
    item: RatedItem, rating: Rating | None, summary: ratings_selectors.Summary | None, **extra: Any
) -> dict[str, Any]:
    bars = []
    if summary is not None:
        for score in range(5, 0, -1):
            count = summary.distribution.get(score, 0)
            bars.append(
                {
                    "score": score,
                    "count": count,
                    "percent": count * 100 // summary.count if summary.count else 0,
                }
            )
    return {"item": item, "rating": rating, "summary": summary, "bars": bars, **extra}


@login_required
@require_POST
def pulse_rate(request: HttpRequest, item_id: int) -> HttpResponse:
    item = RatedItem.objects.filter(pk=item_id, published=True).first()
    if item is None:
        raise Http404
    raw = request.POST.get("score", "")
    score = int(raw) if raw.isdigit() and len(raw) < 3 else 0
    comment = request.POST.get("comment", "")[:5000]
    resident = cast(Resident, request.user)  # login_required
    try:
        rating, points = ratings.rating_cast(item_id=item.pk, resident=resident, score=score, comment=comment)
    except DomainError as refusal:
        existing = Rating.objects.filter(item=item, resident=resident).first()
        summary = ratings_selectors.summary_of(item.pk) if existing else None
        card = _card(item, existing, summary, error=refusal.text, comment=comment)
        status = 200 if is_htmx(request) else refusal.status
        if is_htmx(request):
            return render(request, "voting/quizzes/_pulse_item.html", {"card": card}, status=status)
        return render(request, "voting/quizzes/pulse.html", {"cards": [card], "page": 1}, status=status)
    if not is_htmx(request):
        return redirect(reverse("voting:pulse") + f"#novelty-{item.pk}")
    card = _card(item, rating, ratings_selectors.summary_of(item.pk), points=points)
    return render(request, "voting/quizzes/_pulse_item.html", {"card": card})
