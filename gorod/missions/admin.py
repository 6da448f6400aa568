from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from gorod.missions import services
from gorod.missions.models import Challenge, Evidence, Participation


@admin.register(Challenge)
class ChallengeAdmin(admin.ModelAdmin):
    list_display = ["title", "starts_on", "ends_on", "action", "points_per_unit", "proof_method", "published"]
    list_filter = ["published", "proof_method", "action"]
    search_fields = ["title"]
    filter_horizontal = ["districts"]

    def save_model(self, request: HttpRequest, obj: Challenge, form: Any, change: bool) -> None:
        services.challenge_save(challenge=obj, actor=request.user)  # type: ignore[arg-type]


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
