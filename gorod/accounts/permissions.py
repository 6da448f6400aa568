from __future__ import annotations

from typing import Any

from gorod.accounts import roles


def has_role(user: Any, role: str) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_gorod_roles", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._gorod_roles = cached
    return role in cached


def is_operator(user: Any) -> bool:
    return has_role(user, roles.OPERATOR)


def is_moderator(user: Any) -> bool:
    return has_role(user, roles.MODERATOR) or is_operator(user)


def may_change_level(actor: Any) -> bool:
    return is_operator(actor)
