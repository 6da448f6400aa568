"""Console for participatory budgeting: operators create rounds and add projects (through the
services, audited); reviews and phase moves happen on the round's own page, where each move
states its consequences before it is made (``views.round_advance``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from gorod.core.errors import DomainError
from gorod.voting.budgets import errors, rules, selectors, services
from gorod.voting.budgets.models import BudgetProject, BudgetRound
from gorod.voting.console import OperatorOnly, actor_of


class RoundForm(forms.ModelForm):
    """The services' checks before saving, so a refusal shows on the form, not as an error page."""

    building_ids = forms.CharField(
        label=_("buildings (ids)"),
        required=False,
        max_length=10_000,
        help_text=_(
            "Only verified residents of these buildings may vote: their ids, separated by commas or "
            "spaces, as in a poll's target buildings. Empty: everyone in the district (or the city)."
        ),
    )

    def clean_building_ids(self) -> list[int]:
        words = (self.cleaned_data.get("building_ids") or "").replace(",", " ").split()
        if not all(w.isdigit() and 0 < int(w) < 2**62 for w in words):
            raise forms.ValidationError(_("Give building ids as whole numbers."))
        return sorted({int(w) for w in words})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.instance.pk is None:
            try:
                rules.check_round(
                    budget_roubles=data.get("budget_roubles") or 0,
                    rule=data.get("rule") or "",
                    rule_count=data.get("rule_count") or 0,
                )
                opens, closes = data.get("voting_opens_at"), data.get("voting_closes_at")
                if opens and closes and closes <= opens:
                    raise errors.WindowInvalid(field="voting_closes_at")
            except DomainError as refusal:
                raise forms.ValidationError({refusal.field or "__all__": refusal.text}) from None
        return data


class ProjectForm(forms.ModelForm):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        budget_round = data.get("round")
        if self.instance.pk is None and budget_round is not None:
            try:
                if budget_round.phase != "proposals":
                    raise errors.PhaseWrong(phase=budget_round.get_phase_display())
                rules.check_project_cost(
                    cost_roubles=data.get("cost_roubles") or 0, budget_roubles=budget_round.budget_roubles
                )
            except DomainError as refusal:
                raise forms.ValidationError({refusal.field or "__all__": refusal.text}) from None
        return data


@admin.register(BudgetRound)
class BudgetRoundAdmin(OperatorOnly, admin.ModelAdmin):
    form = RoundForm
    list_display = [
        "title",
        "district",
        "budget_roubles",
        "phase",
        "voting_opens_at",
        "voting_closes_at",
        "page",
    ]
    list_filter = ["phase"]
    search_fields = ["title"]
    fields = (
        "title",
        "description",
        "district",
        "budget_roubles",
        "rule",
        "rule_count",
        "min_level",
        "building_ids",
        "voting_opens_at",
        "voting_closes_at",
    )

    @admin.display(description=_("buildings (ids)"))
    def building_ids(self, obj: BudgetRound) -> str:
        return ", ".join(str(b) for b in selectors.building_ids_of(obj)) or "—"

    @admin.display(description=_("page"))
    def page(self, obj: BudgetRound) -> str:
        return format_html('<a href="{}">{}</a>', reverse("voting:budget", args=[obj.pk]), _("open"))

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # once made, only its texts change; money, rule and window are part of what residents vote on
        return self.fields[2:] if obj is not None else ()

    def save_model(self, request: HttpRequest, obj: BudgetRound, form: Any, change: bool) -> None:
        if change:
            obj.save(update_fields=["title", "description"])
            return
        created = services.round_create(
            actor=actor_of(request),
            title=obj.title,
            description=obj.description,
            district=obj.district,
            budget_roubles=obj.budget_roubles,
            rule=obj.rule,
            rule_count=obj.rule_count,
            min_level=obj.min_level,
            voting_opens_at=obj.voting_opens_at,
            voting_closes_at=obj.voting_closes_at,
            building_ids=form.cleaned_data.get("building_ids") or [],
        )
        obj.pk = created.pk


@admin.register(BudgetProject)
class BudgetProjectAdmin(OperatorOnly, admin.ModelAdmin):
    form = ProjectForm
    list_display = ["title", "round", "cost_roubles", "review", "place"]
    list_filter = ["review", "round"]
    search_fields = ["title"]
    fields = ("round", "title", "description", "cost_roubles", "district", "review", "review_reason")
    readonly_fields = ("review", "review_reason")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return (
            ("round", "cost_roubles", "district", "review", "review_reason")
            if obj is not None
            else self.readonly_fields
        )

    @admin.display(description=_("place and image"))
    def place(self, obj: BudgetProject) -> str:
        # set on its own page (address search or the map, and the image under the upload policy)
        return format_html(
            '<a href="{}">{}</a>', reverse("voting:budget_project_place", args=[obj.pk]), _("set…")
        )

    def save_model(self, request: HttpRequest, obj: BudgetProject, form: Any, change: bool) -> None:
        if change:
            obj.save(update_fields=["title", "description"])
            return
        created = services.project_add(
            round_id=obj.round_id,
            actor=actor_of(request),
            title=obj.title,
            description=obj.description,
            cost_roubles=obj.cost_roubles,
            district=obj.district,
        )
        obj.pk = created.pk
