from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from gorod.accounts.edge import resident_of
from gorod.core.admin_actions import run_for_each
from gorod.problems import services
from gorod.problems.models import (
    Answer,
    MovedDay,
    Organisation,
    OrganisationResponder,
    Report,
    ReportEvent,
    Topic,
    TopicGroup,
)


@admin.register(TopicGroup)
class TopicGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "position"]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "group", "season", "photo_required", "deadline_days", "is_active"]
    list_filter = ["group", "season", "is_active"]
    search_fields = ["name", "code"]


class ResponderInline(admin.TabularInline):
    model = OrganisationResponder
    raw_id_fields = ["resident"]
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "is_active"]
    filter_horizontal = ["topics", "districts", "buildings"]
    inlines = [ResponderInline]


@admin.register(MovedDay)
class MovedDayAdmin(admin.ModelAdmin):
    list_display = ["day", "kind", "note"]


class EventInline(admin.TabularInline):
    model = ReportEvent
    extra = 0
    can_delete = False
    readonly_fields = ["action", "from_status", "to_status", "actor", "note", "created_at"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "topic",
        "status",
        "organisation",
        "deadline",
        "overdue",
        "reopen_count",
        "created_at",
    ]
    list_filter = ["status", "overdue", "topic__group", "organisation"]
    raw_id_fields = ["author", "building"]
    readonly_fields = [
        "status",
        "accepted_at",
        "deadline",
        "overdue",
        "reopen_count",
        "answered_at",
        "closed_at",
    ]
    inlines = [EventInline]
    actions = ["accept_reports"]

    @admin.action(description=_("Accept and route the selected reports"))
    def accept_reports(self, request: HttpRequest, queryset: QuerySet[Report]) -> None:
        moderator = resident_of(request)
        run_for_each(
            request,
            self,
            queryset,
            lambda report: services.report_accept(report_id=report.pk, moderator=moderator),
            str(_("Accepted")),
        )


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ["id", "report", "organisation", "status", "in_time", "created_at"]
    list_filter = ["status", "in_time"]
    raw_id_fields = ["report", "responder", "moderated_by"]
