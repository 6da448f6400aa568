"""Console for decisions taken after polls: operators record them (the location checked by the
same rule as the API) and move them through their statuses with the service (audited)."""

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
from gorod.voting.models import Decision


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
            decision_rules.check_geometry(location)
        except DomainError as refusal:
            raise forms.ValidationError(refusal.text) from None
        return location


@admin.register(Decision)
class DecisionAdmin(OperatorOnly, admin.ModelAdmin):
    form = DecisionForm
    list_display = ["title", "poll", "organisation", "district", "status", "planned_on", "done_on", "late"]
    list_filter = ["status", "district"]
    search_fields = ["title", "organisation"]
    readonly_fields = ["status", "done_on"]
    actions = ["start", "finish", "cancel"]

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
