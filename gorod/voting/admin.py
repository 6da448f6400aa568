"""Operator console for Active Citizen: polls (with targeting preview), lifecycle actions,
'other' answers moderation. Ballots and participations are not shown to anyone. Lifecycle
changes go through the services (audited). The sub-domains' consoles live in their packages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from gorod.accounts.edge import resident_of
from gorod.core.admin_actions import run_for_each
from gorod.points import selectors as points_selectors
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


class PollForm(forms.ModelForm):
    """The poll with its points chosen among the published earning rules (the programme and the
    action are codes an operator had to type, and a typo meant a poll that paid nothing)."""

    reward = forms.ChoiceField(
        label=_("points for voting"),
        required=False,
        help_text=_("The earning rule each ballot is paid by; the amount is the rule's."),
    )

    class Meta:
        model = Poll
        fields: list[str] = []  # the console's fieldsets name them; the two codes are never offered

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", str(_("No points")))] + [
            (f"{programme}:{action}", label)
            for programme, action, label in points_selectors.earning_rule_choices()
        ]
        poll = self.instance
        current = f"{poll.reward_programme}:{poll.reward_action}" if poll.reward_action else ""
        if current not in dict(choices):
            choices.append((current, current))  # a rule since removed: kept until changed
        reward = self.fields["reward"]
        reward.choices = choices  # type: ignore[attr-defined]
        reward.initial = current

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        programme, _sep, action = str(cleaned.get("reward") or "").partition(":")
        if action:
            self.instance.reward_programme = programme
        self.instance.reward_action = action
        return cleaned


@admin.register(Poll)
class PollAdmin(OperatorOnly, admin.ModelAdmin):
    form = PollForm
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
        (_("Points"), {"fields": ["reward"]}),
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
                "reward_shown",
            ]
        return fields

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or _editable(obj):
            return fieldsets
        # frozen: the points are shown, not offered as a choice the save would apply
        return [
            (name, {**options, "fields": ["reward_shown" if f == "reward" else f for f in options["fields"]]})
            for name, options in fieldsets
        ]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        if obj is not None and not _editable(obj):
            kwargs["form"] = forms.ModelForm
        return super().get_form(request, obj, change, **kwargs)

    @admin.display(description=_("points for voting"))
    def reward_shown(self, obj: Poll) -> str:
        if not obj.reward_action:
            return str(_("No points"))
        names = {(p, a): label for p, a, label in points_selectors.earning_rule_choices()}
        return names.get(
            (obj.reward_programme, obj.reward_action), f"{obj.reward_programme}:{obj.reward_action}"
        )

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
