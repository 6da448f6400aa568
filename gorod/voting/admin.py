"""Operator console for Active Citizen: polls (with targeting preview), lifecycle actions,
'other' answers moderation. Ballots and participations are not shown to anyone. Lifecycle
changes go through the services (audited). The sub-domains' consoles live in their packages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from gorod.accounts.edge import resident_of
from gorod.core.admin_actions import run_for_each
from gorod.voting import rules, selectors, services, targeting
from gorod.voting.budgets import admin as budgets_admin
from gorod.voting.console import ModeratorsQueue, OperatorOnly, actor_of
from gorod.voting.contests import admin as contests_admin
from gorod.voting.decisions import admin as decisions_admin
from gorod.voting.discussions import admin as discussions_admin
from gorod.voting.models import Option, OtherAnswer, Poll, PollBuilding, Question
from gorod.voting.quests import admin as quests_admin
from gorod.voting.quizzes import admin as quizzes_admin
from gorod.voting.ratings import admin as ratings_admin

# Django's admin autodiscovery imports only this module; naming the sub-domains' console modules
# here registers their models (each registers its own, and none of them imports this module).
SUB_DOMAIN_CONSOLES = (
    budgets_admin,
    contests_admin,
    decisions_admin,
    discussions_admin,
    quests_admin,
    quizzes_admin,
    ratings_admin,
)


def _editable(obj: Any) -> bool:
    poll = obj if isinstance(obj, Poll) else getattr(obj, "poll", None)
    return poll is None or poll.status in rules.EDITABLE_STATUSES


class FrozenWhenOpenInline(OperatorOnly, admin.TabularInline):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request) and _editable(obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request) and _editable(obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request) and _editable(obj)


class QuestionInline(FrozenWhenOpenInline):
    model = Question
    extra = 0
    fields = ["position", "text", "kind", "max_choices", "allow_other"]
    show_change_link = True


class BuildingInline(FrozenWhenOpenInline):
    model = PollBuilding
    extra = 0


@admin.register(Poll)
class PollAdmin(OperatorOnly, admin.ModelAdmin):
    list_display = ["title", "kind", "status", "opens_at", "closes_at", "ballot_count"]
    list_filter = ["status", "kind"]
    search_fields = ["title"]
    filter_horizontal = ["target_okrugs", "target_districts"]
    inlines = [QuestionInline, BuildingInline]
    readonly_fields = [
        "status",
        "reach",
        "closed_at",
        "published_at",
        "ballot_count",
        "merkle_root",
        "results_summary",
        "irreversible_steps",
    ]
    fieldsets = [
        (None, {"fields": ["kind", "title", "description", "image", "status"]}),
        (_("Window and results"), {"fields": ["opens_at", "closes_at", "live_results", "binding"]}),
        (_("Points"), {"fields": ["reward_programme", "reward_action"]}),
        (_("Targeting"), {"fields": ["min_level", "target_okrugs", "target_districts", "reach"]}),
        (
            _("Count"),
            {
                "fields": [
                    "irreversible_steps",
                    "closed_at",
                    "published_at",
                    "ballot_count",
                    "merkle_root",
                    "results_summary",
                ]
            },
        ),
    ]
    # Closing and publishing cannot be undone: they are pages with a confirmation
    # (views_staff.py), linked from the poll's page, never bulk actions of this list.
    actions = ["schedule", "open_now", "archive"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and not _editable(obj):
            fields += [
                "kind",
                "opens_at",
                "min_level",
                "target_okrugs",
                "target_districts",
                "reward_programme",
                "reward_action",
            ]
        return fields

    @admin.display(description=_("reaches (residents)"))
    def reach(self, obj: Poll) -> int | str:
        return targeting.reach(targeting.targeting_of(obj)) if obj.pk else "—"

    @admin.display(description=_("close or publish"))
    def irreversible_steps(self, obj: Poll) -> str:
        if obj.pk and obj.status == "open":
            return format_html(
                '<a href="{}">{}</a>', reverse("voting:poll_close", args=[obj.pk]), _("Close the poll…")
            )
        if obj.pk and obj.status == "closed":
            return format_html(
                '<a href="{}">{}</a>',
                reverse("voting:poll_publish", args=[obj.pk]),
                _("Publish the results…"),
            )
        return "—"

    @admin.display(description=_("results"))
    def results_summary(self, obj: Poll) -> str:
        if not obj.results:
            return "—"
        lines = []
        for question in selectors.results_in_reader_language(obj, obj.results)["questions"]:
            counts = ", ".join(
                f"{o['text']}: {number_format(o['count'])} ({number_format(Decimal(o['percent']), 1)}%)"
                for o in question["options"]
            )
            lines.append(f"{question['text']} — {counts}")
        return " | ".join(lines)

    def save_model(self, request: HttpRequest, obj: Poll, form: Any, change: bool) -> None:
        if not change:
            obj.created_by = resident_of(request)
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Schedule (opens at its time)"))
    def schedule(self, request: HttpRequest, queryset: QuerySet[Poll]) -> None:
        run_for_each(
            request,
            self,
            queryset,
            lambda p: services.poll_schedule(poll_id=p.pk, actor=actor_of(request)),
            str(_("Scheduled")),
        )

    @admin.action(description=_("Open now"))
    def open_now(self, request: HttpRequest, queryset: QuerySet[Poll]) -> None:
        run_for_each(
            request,
            self,
            queryset,
            lambda p: services.poll_open(poll_id=p.pk, actor=actor_of(request)),
            str(_("Opened")),
        )

    @admin.action(description=_("Archive"))
    def archive(self, request: HttpRequest, queryset: QuerySet[Poll]) -> None:
        run_for_each(
            request,
            self,
            queryset,
            lambda p: services.poll_archive(poll_id=p.pk, actor=actor_of(request)),
            str(_("Archived")),
        )


class OptionInline(FrozenWhenOpenInline):
    model = Option
    extra = 0
    fields = ["position", "text"]


@admin.register(Question)
class QuestionAdmin(OperatorOnly, admin.ModelAdmin):
    list_display = ["text", "poll", "kind"]
    inlines = [OptionInline]
    fields = ["poll", "position", "text", "kind", "max_choices", "allow_other"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.fields if obj is not None and not _editable(obj) else []


@admin.register(OtherAnswer)
class OtherAnswerAdmin(ModeratorsQueue, admin.ModelAdmin):
    list_display = ["text", "poll", "question", "status"]
    list_filter = ["status"]
    fields = ["poll", "question", "text", "status", "reason"]
    readonly_fields = ["poll", "question", "text", "status", "reason"]
    actions = ["approve", "reject"]

    @admin.action(description=_("Approve for publication"))
    def approve(self, request: HttpRequest, queryset: QuerySet[OtherAnswer]) -> None:
        run_for_each(
            request,
            self,
            queryset,
            lambda a: services.other_answer_moderate(answer_id=a.pk, approve=True, actor=actor_of(request)),
            str(_("Approved")),
        )

    @admin.action(description=_("Reject"))
    def reject(self, request: HttpRequest, queryset: QuerySet[OtherAnswer]) -> None:
        run_for_each(
            request,
            self,
            queryset,
            lambda a: services.other_answer_moderate(
                answer_id=a.pk, approve=False, actor=actor_of(request), reason="rejected by moderator"
            ),
            str(_("Rejected")),
        )
