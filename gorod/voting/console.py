"""Pieces every Active Citizen console shares (polls, quizzes, quests, discussions, contests,
decisions, ratings): who may use it, who is acting, and running an action row by row."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from gorod.accounts.models import Resident
from gorod.accounts.permissions import is_moderator, is_operator
from gorod.core.errors import DomainError


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


def run_for_each(
    request: HttpRequest, modeladmin: admin.ModelAdmin, queryset: QuerySet, action: Any, done: str
) -> None:
    """Run an admin action's service call on each selected row in primary key order; a refusal
    is reported next to its row and does not stop the others (each call is its own transaction)."""
    ok = 0
    for obj in queryset.order_by("pk"):
        try:
            action(obj)
            ok += 1
        except DomainError as refusal:
            modeladmin.message_user(request, f"{obj}: {refusal.text}", messages.ERROR)
    if ok:
        modeladmin.message_user(request, f"{done}: {ok}", messages.SUCCESS)
