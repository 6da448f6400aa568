"""Who may see or do what in Active Citizen (one place for the object-level checks)."""

from __future__ import annotations

from typing import Any

from gorod.accounts.permissions import is_moderator, is_operator
from gorod.voting.models import Poll, PollBuilding, PollKind, PollStatus
from gorod.voting.targeting import building_directory

PUBLIC_STATUSES = {PollStatus.OPEN, PollStatus.CLOSED, PollStatus.PUBLISHED, PollStatus.ARCHIVED}


def may_manage_polls(user: Any) -> bool:
    return is_operator(user)


def may_moderate(user: Any) -> bool:
    return is_moderator(user)


def may_see_poll(user: Any, poll: Poll) -> bool:
    # A city poll in a public status first: anyone sees it, and the role check (a query for a
    # signed-in reader) is not needed.
    if poll.status in PUBLIC_STATUSES and poll.kind != PollKind.NEIGHBOUR_SURVEY:
        return True
    if may_manage_polls(user):
        return True
    if poll.status not in PUBLIC_STATUSES:
        return False
    if poll.kind == PollKind.NEIGHBOUR_SURVEY:
        # A neighbour survey is the building's business, not the city's: its residents see it
        # (and whoever opened it, an administrator included), nobody else.
        return _of_the_building(user, poll)
    return True


def _of_the_building(user: Any, poll: Poll) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if poll.created_by_id == user.pk:
        return True
    buildings = building_directory().buildings_of(user.pk)
    return PollBuilding.objects.filter(poll=poll, building_id__in=buildings).exists()


def results_visible(user: Any, poll: Poll) -> bool:
    """Published results are public; live results while open if the operator chose so."""
    if poll.status in {PollStatus.PUBLISHED, PollStatus.ARCHIVED}:
        return True
    if poll.live_results and poll.status in {PollStatus.OPEN, PollStatus.CLOSED}:
        return True
    return poll.status == PollStatus.CLOSED and may_manage_polls(user)


def ballots_downloadable(poll: Poll) -> bool:
    return poll.status in {PollStatus.PUBLISHED, PollStatus.ARCHIVED} and bool(poll.merkle_root)
