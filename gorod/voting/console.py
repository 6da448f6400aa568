"""Pieces every Active Citizen console shares (polls, quizzes, quests, discussions, contests,
decisions, ratings): who may use it and who is acting (running an action row by row is
gorod.core.admin_actions.run_for_each, shared with the other consoles)."""

from __future__ import annotations

from typing import Any, cast

from django.http import HttpRequest

from gorod.accounts.models import Resident
from gorod.accounts.permissions import is_moderator, is_operator


class OperatorOnly:
    """City operators (and superusers) run the Active Citizen console."""

    def _allowed(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_staff and is_operator(request.user))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ModeratorsQueue:
    """A moderation queue (free-text answers, comments, photos): moderators and operators act on
    what residents sent through the services' actions; nobody adds, edits or deletes rows."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_staff and is_moderator(request.user))

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def actor_of(request: HttpRequest) -> Resident:
    """The signed-in operator or moderator acting in the console (admin pages are staff-only)."""
    return cast(Resident, request.user)
