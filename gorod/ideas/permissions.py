from __future__ import annotations

from typing import Any

from gorod.accounts.permissions import is_moderator, is_operator


def is_expert(user: Any) -> bool:
    """Experts of crowdsourcing projects: city operators and moderators."""
    return is_operator(user) or is_moderator(user)


def may_moderate(user: Any) -> bool:
    return is_moderator(user)
