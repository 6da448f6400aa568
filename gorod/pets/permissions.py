from __future__ import annotations

from typing import Any

from gorod.accounts.permissions import is_moderator
from gorod.pets.models import NoticeStatus, PetNotice


def may_moderate(user: Any) -> bool:
    return is_moderator(user)


def may_view(user: Any, notice: PetNotice) -> bool:
    """Published and closed notices are public; others only for their author and moderators."""
    if notice.status in (NoticeStatus.PUBLISHED, NoticeStatus.CLOSED):
        return True
    return bool(getattr(user, "is_authenticated", False)) and (
        notice.author_id == user.pk or is_moderator(user)
    )


def is_author(user: Any, notice: PetNotice) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and notice.author_id == user.pk
