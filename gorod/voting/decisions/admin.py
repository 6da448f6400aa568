"""Console for decisions taken after polls: operators record them (the location checked by the
same rule as the API), move them through their statuses and set their progress with the services
(audited); the progress history shows who changed it when."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from gorod.core.admin_actions import run_for_each
from gorod.core.errors import DomainError
from gorod.core.time import city_today
from gorod.voting.console import OperatorOnly, actor_of
from gorod.voting.decisions import rules as decision_rules
from gorod.voting.decisions import services as services_decisions
from gorod.voting.models import Decision, DecisionProgress


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

    new_progress = forms.IntegerField(
        label=_("New progress, per cent"),
        min_value=0,
        max_value=100,
        required=False,
        help_text=_("Leave empty to keep it; each change is kept in the history below."),
    )
    progress_note = forms.CharField(label=_("What was done"), max_length=255, required=False)

    def clean_new_progress(self) -> int | None:
        percent = self.cleaned_data.get("new_progress")
        if percent is None or self.instance.pk is None:
            return percent
        try:
            decision_rules.check_progress(
                status=self.instance.status, current=self.instance.progress_percent, percent=percent
            )
        except DomainError as refusal:
            raise forms.ValidationError(refusal.text) from None
        return percent

    def clean_location(self) -> Any:
        location = self.cleaned_data.get("location")
        try:
            decision_rules.check_geometry(location)
        except DomainError as refusal:
            raise forms.ValidationError(refusal.text) from None
        return location


class ProgressHistory(OperatorOnly, admin.TabularInline):
    """Who changed the progress when: read only (the service writes it)."""

    model = DecisionProgress
    fields = ["changed_at", "percent", "note", "changed_by"]
    readonly_fields = ["changed_at", "percent", "note", "changed_by"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Decision)
class DecisionAdmin(OperatorOnly, admin.ModelAdmin):
    form = DecisionForm
    list_display = [
        "title",
        "poll",
        "organisation",
        "district",
        "status",
        "progress",
        "planned_on",
        "done_on",
        "late",
    ]
    list_filter = ["status", "district"]
    search_fields = ["title", "organisation"]
    readonly_fields = ["status", "done_on", "progress_percent"]
    actions = ["start", "finish", "cancel"]
    inlines = [ProgressHistory]

    @admin.display(description=_("progress"), ordering="progress_percent")
    def progress(self, decision: Decision) -> str:
        return f"{decision.progress_percent}\u00a0%"

    def save_model(self, request: HttpRequest, obj: Decision, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        percent = form.cleaned_data.get("new_progress")
        if percent is not None and percent != obj.progress_percent:
            services_decisions.decision_progress_set(
                decision_id=obj.pk,
                percent=percent,
                actor=actor_of(request),
                note=form.cleaned_data.get("progress_note", ""),
            )
            obj.refresh_from_db()

    @admin.display(description=_("late"), boolean=True)
    def late(self, decision: Decision) -> bool:
        return decision_rules.is_late(decision.status, decision.planned_on, decision.done_on, city_today())

    @admin.action(description=_("Mark in progress"))
    def start(self, request: HttpRequest, queryset: QuerySet[Decision]) -> None:
        run_for_each(
            request,
            self,
            queryset,
            lambda d: services_decisions.decision_status_set(
                decision_id=d.pk, status="in_progress", actor=actor_of(request)
            ),
            str(_("Updated")),
        )

    @admin.action(description=_("Mark done (today)"))
    def finish(self, request: HttpRequest, queryset: QuerySet[Decision]) -> None:
        run_for_each(
            request,
            self,
            queryset,
            lambda d: services_decisions.decision_status_set(
                decision_id=d.pk, status="done", actor=actor_of(request)
            ),
            str(_("Updated")),
        )

    @admin.action(description=_("Cancel (with the reason entered on the decision)"))
    def cancel(self, request: HttpRequest, queryset: QuerySet[Decision]) -> None:
        run_for_each(
            request,
            self,
            queryset,
            lambda d: services_decisions.decision_status_set(
                decision_id=d.pk, status="cancelled", actor=actor_of(request), reason=d.cancel_reason
            ),
            str(_("Updated")),
        )
