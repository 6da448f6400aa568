from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from gorod.accounts.edge import resident_of
from gorod.accounts.services import audit_record
from gorod.core.admin_actions import run_for_each
from gorod.ideas import services
from gorod.ideas.models import Comment, Idea, Project


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["title", "topic", "stage", "published", "created_at"]
    list_filter = ["stage", "published"]
    filter_horizontal = ["districts"]
    readonly_fields = ["stage"]
    actions = ["advance"]

    def save_model(self, request: HttpRequest, obj: Project, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        audit_record(
            actor=resident_of(request), action="ideas.project_save", target=obj, after={"title": obj.title}
        )

    @admin.action(description=_("Move the selected projects to their next stage"))
    def advance(self, request: HttpRequest, queryset: QuerySet[Project]) -> None:
        operator = resident_of(request)
        run_for_each(
            request,
            self,
            queryset,
            lambda project: services.project_stage_advance(project_id=project.pk, actor=operator),
            str(_("Moved to the next stage")),
        )


@admin.register(Idea)
class IdeaAdmin(admin.ModelAdmin):
    """Ideas change only through moderation and expert decisions (site pages and API)."""

    list_display = ["title", "project", "status", "author", "created_at"]
    list_filter = ["status", "project"]
    search_fields = ["title", "text"]
    list_select_related = ["project", "author"]
    readonly_fields = [f.name for f in Idea._meta.fields]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["idea", "author", "hidden", "created_at"]
    list_filter = ["hidden"]
    list_select_related = ["idea", "author"]
    readonly_fields = ["idea", "author", "text", "hidden", "created_at"]
    actions = ["hide"]

    @admin.action(description=_("Hide the selected comments"))
    def hide(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        moderator = resident_of(request)
        run_for_each(
            request,
            self,
            queryset,
            lambda comment: services.comment_hide(
                comment_id=comment.pk,
                moderator=moderator,
                reason="hidden in the console",
            ),
            str(_("Hidden")),
        )
