"""Reads of neighbour surveys (polls of the voting engine aimed at a building)."""

from __future__ import annotations

from collections.abc import Collection

from gorod.voting.models import Poll, PollKind


def surveys_of(building_ids: Collection[int]) -> list[Poll]:
    return list(
        Poll.objects.filter(
            kind=PollKind.NEIGHBOUR_SURVEY, target_buildings__building_id__in=list(building_ids)
        )
        .distinct()
        .order_by("-opens_at")[:20]
    )
