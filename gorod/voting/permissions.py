"""Who may see or do what in Active Citizen (one place for the object-level checks)."""

from __future__ import annotations

from typing import Any

from gorod.accounts.permissions import is_moderator, is_operator
from gorod.voting.models import Poll, PollStatus

PUBLIC_STATUSES = {PollStatus.OPEN, PollStatus.CLOSED, PollStatus.PUBLISHED, PollStatus.ARCHIVED}


def may_manage_polls(user: Any) -> bool:
    return is_operator(user)


def may_moderate(user: Any) -> bool:
    return is_moderator(user)


def may_see_poll(user: Any, poll: Poll) -> bool:
    return poll.status in PUBLIC_STATUSES or may_manage_polls(user)


def results_visible(user: Any, poll: Poll) -> bool:
    """Published results are public; live results while open if the operator chose so."""
    if poll.status in {PollStatus.PUBLISHED, PollStatus.ARCHIVED}:
        return True
    if poll.live_results and poll.status in {PollStatus.OPEN, PollStatus.CLOSED}:
        return True
    return poll.status == PollStatus.CLOSED and may_manage_polls(user)


def ballots_downloadable(poll: Poll) -> bool:
    return poll.status in {PollStatus.PUBLISHED, PollStatus.ARCHIVED} and bool(poll.merkle_root)
