"""Operator console for Active Citizen: polls (with targeting preview), lifecycle actions,
'other' answers moderation, decisions. Ballots and participations are not shown to anyone.
Lifecycle and decision changes go through the services (audited)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from gorod.accounts.models import Resident
from gorod.accounts.permissions import is_moderator, is_operator
from gorod.core.errors import DomainError
from gorod.voting import rules, services, targeting
from gorod.voting.decisions import services as services_decisions
from gorod.voting.models import Decision, Option, OtherAnswer, Poll, PollBuilding, Question
from gorod.voting.ratings.models import RatedItem


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


def _actor(request: HttpRequest) -> Resident:
    return cast(Resident, request.user)


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


def _run(
    request: HttpRequest, modeladmin: admin.ModelAdmin, queryset: QuerySet, action: Any, done: str
) -> None:
    ok = 0
    for obj in queryset.order_by("pk"):
        try:
            action(obj)
            ok += 1
        except DomainError as refusal:
            modeladmin.message_user(request, f"{obj}: {refusal.text}", messages.ERROR)
    if ok:
        modeladmin.message_user(request, f"{done}: {ok}", messages.SUCCESS)


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
    ]
    fieldsets = [
        (None, {"fields": ["kind", "title", "description", "image", "status"]}),
        (_("Window and results"), {"fields": ["opens_at", "closes_at", "live_results", "binding"]}),
        (_("Points"), {"fields": ["reward_programme", "reward_action"]}),
        (_("Targeting"), {"fields": ["min_level", "target_okrugs", "target_districts", "reach"]}),
        (
            _("Count"),
            {"fields": ["closed_at", "published_at", "ballot_count", "merkle_root", "results_summary"]},
        ),
    ]
    actions = ["schedule", "open_now", "close_now", "publish", "archive"]

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

    @admin.display(description=_("results"))
    def results_summary(self, obj: Poll) -> str:
        if not obj.results:
            return "—"
        lines = []
        for question in obj.results["questions"]:
            counts = ", ".join(f"{o['text']}: {o['count']} ({o['percent']}%)" for o in question["options"])
            lines.append(f"{question['text']} — {counts}")
        return " | ".join(lines)

    def save_model(self, request: HttpRequest, obj: Poll, form: Any, change: bool) -> None:
        if not change:
            obj.created_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Schedule (opens at its time)"))
    def schedule(self, request: HttpRequest, queryset: QuerySet[Poll]) -> None:
        _run(
            request,
            self,
            queryset,
            lambda p: services.poll_schedule(poll_id=p.pk, actor=_actor(request)),
            str(_("Scheduled")),
        )

    @admin.action(description=_("Open now"))
    def open_now(self, request: HttpRequest, queryset: QuerySet[Poll]) -> None:
        _run(
            request,
            self,
            queryset,
            lambda p: services.poll_open(poll_id=p.pk, actor=_actor(request)),
            str(_("Opened")),
        )

    @admin.action(description=_("Close now (count and publish the Merkle root)"))
    def close_now(self, request: HttpRequest, queryset: QuerySet[Poll]) -> None:
        _run(
            request,
            self,
            queryset,
            lambda p: services.poll_close(
                poll_id=p.pk, actor=_actor(request), reason="closed from the console"
            ),
            str(_("Closed")),
        )

    @admin.action(description=_("Publish results"))
    def publish(self, request: HttpRequest, queryset: QuerySet[Poll]) -> None:
        _run(
            request,
            self,
            queryset,
            lambda p: services.poll_results_publish(poll_id=p.pk, actor=_actor(request)),
            str(_("Published")),
        )

    @admin.action(description=_("Archive"))
    def archive(self, request: HttpRequest, queryset: QuerySet[Poll]) -> None:
        _run(
            request,
            self,
            queryset,
            lambda p: services.poll_archive(poll_id=p.pk, actor=_actor(request)),
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
        _run(
            request,
            self,
            queryset,
            lambda a: services.other_answer_moderate(answer_id=a.pk, approve=True, actor=_actor(request)),
            str(_("Approved")),
        )

    @admin.action(description=_("Reject"))
    def reject(self, request: HttpRequest, queryset: QuerySet[OtherAnswer]) -> None:
        _run(
            request,
            self,
            queryset,
            lambda a: services.other_answer_moderate(
                answer_id=a.pk, approve=False, actor=_actor(request), reason="rejected by moderator"
            ),
            str(_("Rejected")),
        )


class DecisionForm(forms.ModelForm):
    class Meta:
        model = Decision
        fields = [
            "poll",
            "title",
            "description",
            "organisation",
            "district",
            "location",
            "planned_on",
            "photo",
            "cancel_reason",
        ]

    def clean_location(self) -> Any:
        location = self.cleaned_data.get("location")
        try:
            services_decisions.check_geometry(location)
        except DomainError as refusal:
            raise forms.ValidationError(refusal.text) from None
        return location


@admin.register(Decision)
class DecisionAdmin(OperatorOnly, admin.ModelAdmin):
    form = DecisionForm
    list_display = ["title", "poll", "organisation", "district", "status", "planned_on", "done_on"]
    list_filter = ["status", "district"]
    search_fields = ["title", "organisation"]
    readonly_fields = ["status", "done_on"]
    actions = ["start", "finish", "cancel"]

    @admin.action(description=_("Mark in progress"))
    def start(self, request: HttpRequest, queryset: QuerySet[Decision]) -> None:
        _run(
            request,
            self,
            queryset,
            lambda d: services_decisions.decision_status_set(
                decision_id=d.pk, status="in_progress", actor=_actor(request)
            ),
            str(_("Updated")),
        )

    @admin.action(description=_("Mark done (today)"))
    def finish(self, request: HttpRequest, queryset: QuerySet[Decision]) -> None:
        _run(
            request,
            self,
            queryset,
            lambda d: services_decisions.decision_status_set(
                decision_id=d.pk, status="done", actor=_actor(request)
            ),
            str(_("Updated")),
        )

    @admin.action(description=_("Cancel (with the reason entered on the decision)"))
    def cancel(self, request: HttpRequest, queryset: QuerySet[Decision]) -> None:
        _run(
            request,
            self,
            queryset,
            lambda d: services_decisions.decision_status_set(
                decision_id=d.pk, status="cancelled", actor=_actor(request), reason=d.cancel_reason
            ),
            str(_("Updated")),
        )


@admin.register(RatedItem)
class RatedItemAdmin(OperatorOnly, admin.ModelAdmin):
    list_display = ["title", "published", "created_at"]
    list_filter = ["published"]


# register their consoles
from gorod.voting.contests import admin as admin_contests  # noqa: E402, F401
from gorod.voting.discussions import admin as admin_discussions  # noqa: E402, F401
from gorod.voting.quizzes import admin as admin_quizzes  # noqa: E402, F401
