"""Reads of Pulse of the capital: an item's rating summary."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from gorod.voting.ratings.models import Rating


@dataclass(frozen=True)
class Summary:
    count: int
    average: str
    distribution: dict[int, int]


def summary_of(item_id: int) -> Summary:
    rows = Rating.objects.filter(item_id=item_id).values("score").annotate(n=Count("pk")).order_by()
    distribution = {score: 0 for score in range(1, 6)}
    for row in rows:
        distribution[row["score"]] = row["n"]
    count = sum(distribution.values())
    total = sum(score * n for score, n in distribution.items())
    average = f"{total * 10 // count / 10:.1f}" if count else "0.0"  # display only, rounded down
    return Summary(count=count, average=average, distribution=distribution)


def rating_summaries(item_ids: list[int]) -> dict[int, Summary]:
    """Average and distribution of several novelties in one grouped query."""
    if not item_ids:
        return {}
    rows = (
        Rating.objects.filter(item_id__in=item_ids)
        .values("item_id", "score")
        .annotate(n=Count("pk"))
        .order_by()
    )
    distributions: dict[int, dict[int, int]] = {i: {s: 0 for s in range(1, 6)} for i in item_ids}
    for row in rows:
        distributions[row["item_id"]][row["score"]] = row["n"]
    summaries = {}
    for item_id, distribution in distributions.items():
        count = sum(distribution.values())
        total = sum(score * n for score, n in distribution.items())
        average = f"{total * 10 // count / 10:.1f}" if count else "0.0"  # as summary_of: rounded down
        summaries[item_id] = Summary(count=count, average=average, distribution=distribution)
    return summaries
