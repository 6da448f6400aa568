"""Pieces every Active Citizen console shares (polls, quizzes, quests, discussions, contests,
decisions, ratings): who may use it and who is acting (running an action row by row is
gorod.core.admin_actions.run_for_each, shared with the other consoles)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from gorod.accounts.models import Resident
from gorod.accounts.permissions import is_moderator, is_operator
from gorod.core.console_links import LinksTheViewerMayOpen
from gorod.points import selectors as points_selectors

ACTIVE_CITIZEN = "active_citizen"


def reward_action_field(db_field: models.Field, **kwargs: Any) -> forms.ChoiceField:
    """An Active Citizen activity's points as a choice among the programme's earning rules, by
    name (the console offered a free text box for the rule's code)."""
    choices = [("", str(_("No points")))] + [
        (action, label)
        for programme, action, label in points_selectors.earning_rule_choices()
        if programme == ACTIVE_CITIZEN
    ]
    return forms.ChoiceField(
        label=db_field.verbose_name,
        choices=choices,
        required=False,
        initial=db_field.default,
        help_text=_("The earning rule it is paid by; the amount is the rule's."),
    )


class OperatorOnly:
    """City operators (and superusers) run the Active Citizen console."""

    def formfield_for_dbfield(self, db_field: models.Field, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "reward_action" and db_field.model._meta.app_label == "voting":
            return reward_action_field(db_field)
        return super().formfield_for_dbfield(db_field, request, **kwargs)  # type: ignore[misc]

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


class ModeratorsQueue(LinksTheViewerMayOpen):
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
