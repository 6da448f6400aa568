"""Operator console for quizzes and quests (imported by admin.py). A quiz is edited as a draft
(questions with their options, each marked correct or not) and published through the service,
which checks it is complete; a published quiz's questions are frozen. Attempts are read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from gorod.accounts.edge import resident_of
from gorod.core.admin_actions import run_for_each
from gorod.voting.console import OperatorOnly, actor_of
from gorod.voting.quizzes import services as services_quizzes
from gorod.voting.quizzes.models import (
    Quiz,
    QuizOption,
    QuizQuestion,
    QuizStatus,
)


def _quiz_editable(obj: Any) -> bool:
    quiz = obj if isinstance(obj, Quiz) else getattr(obj, "quiz", None)
    return quiz is None or quiz.status == QuizStatus.DRAFT


class FrozenWhenPublishedInline(OperatorOnly, admin.StackedInline):
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request) and _quiz_editable(obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request) and _quiz_editable(obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request) and _quiz_editable(obj)


class QuizQuestionInline(FrozenWhenPublishedInline):
    model = QuizQuestion
    fields = ["position", "text", "explanation"]
    show_change_link = True


@admin.register(Quiz)
class QuizAdmin(OperatorOnly, admin.ModelAdmin):
    list_display = ["title", "status", "opens_at", "closes_at", "attempt_count"]
    list_filter = ["status"]
    search_fields = ["title"]
    filter_horizontal = ["target_okrugs", "target_districts"]
    inlines = [QuizQuestionInline]
    readonly_fields = ["status"]
    fieldsets = [
        (None, {"fields": ["title", "description", "status"]}),
        (_("Window"), {"fields": ["opens_at", "closes_at"]}),
        (_("Points"), {"fields": ["reward_action", "reward_correct"]}),
        (_("Targeting"), {"fields": ["min_level", "target_okrugs", "target_districts"]}),
    ]
    actions = ["publish"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and not _quiz_editable(obj):
            fields += [
                "opens_at",
                "min_level",
                "target_okrugs",
                "target_districts",
                "reward_action",
                "reward_correct",
            ]
        return fields

    @admin.display(description=_("attempts"))
    def attempt_count(self, obj: Quiz) -> int:
        return obj.attempts.count()

    def save_model(self, request: HttpRequest, obj: Quiz, form: Any, change: bool) -> None:
        if not change:
            obj.created_by = resident_of(request)
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Publish (checks every question has options and a correct answer)"))
    def publish(self, request: HttpRequest, queryset: QuerySet[Quiz]) -> None:
        run_for_each(
            request,
            self,
            queryset,
            lambda q: services_quizzes.quiz_publish(quiz_id=q.pk, actor=actor_of(request)),
            str(_("Published")),
        )


class QuizOptionInline(FrozenWhenPublishedInline, admin.TabularInline):
    model = QuizOption
    fields = ["position", "text", "is_correct"]
    extra = 3


@admin.register(QuizQuestion)
class QuizQuestionAdmin(OperatorOnly, admin.ModelAdmin):
    list_display = ["text", "quiz"]
    inlines = [QuizOptionInline]
    fields = ["quiz", "position", "text", "explanation"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return False  # reached from its quiz

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.fields if obj is not None and not _quiz_editable(obj) else []

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "quiz":  # a published quiz's questions are frozen: no additions either
            kwargs["queryset"] = Quiz.objects.filter(status=QuizStatus.DRAFT)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
