from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from gorod.accounts.edge import resident_of
from gorod.missions import selectors, services
from gorod.missions.models import Challenge, Evidence, Participation


class ChallengeForm(forms.ModelForm):
    class Meta:
        model = Challenge
        fields = [
            "title",
            "description",
            "starts_on",
            "ends_on",
            "min_level",
            "districts",
            "confirmers",
            "goal_kind",
            "goal_amount",
            "unit",
            "proof_method",
            "action",
            "points_per_unit",
            "leaderboard",
            "published",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The challenge ends before it starts."))
        if data.get("action") and selectors.rule_missing(data["action"]):
            self.add_error("action", _("There is no Mission City earning rule with this action."))
        return data


@admin.register(Challenge)
class ChallengeAdmin(admin.ModelAdmin):
    form = ChallengeForm
    list_display = ["title", "starts_on", "ends_on", "action", "points_per_unit", "proof_method", "published"]
    list_filter = ["published", "proof_method", "action"]
    search_fields = ["title"]
    filter_horizontal = ["districts", "confirmers"]

    def save_model(self, request: HttpRequest, obj: Challenge, form: Any, change: bool) -> None:
        services.challenge_save(challenge=obj, actor=resident_of(request))


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    """Progress moves only through evidence; the console shows it."""

    list_display = ["challenge", "resident", "code", "progress", "points_earned", "joined_at", "left_at"]
    list_filter = ["challenge"]
    search_fields = ["code", "resident__username"]
    list_select_related = ["challenge", "resident"]
    readonly_fields = [f.name for f in Participation._meta.fields]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ["key", "participation", "quantity", "points", "source", "recorded_by", "created_at"]
    list_filter = ["source"]
    search_fields = ["key", "participation__code"]
    list_select_related = ["participation__challenge", "participation__resident", "recorded_by"]
    readonly_fields = [f.name for f in Evidence._meta.fields]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
