"""Console for public discussions: operators see projects and documents; moderators see the
comments and publish them (rejection needs a reason, given on the moderation page). Changes go
through the services; projects are created on the purpose-built page (documents are checked)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from gorod.core.admin_actions import run_for_each
from gorod.voting.console import ModeratorsQueue, OperatorOnly, actor_of
from gorod.voting.discussions import services as services_discussions
from gorod.voting.discussions.models import Discussion, DiscussionComment, DiscussionDocument


class DocumentInline(OperatorOnly, admin.TabularInline):
    model = DiscussionDocument
    fields = readonly_fields = ("title", "file", "content_type", "size")
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Discussion)
class DiscussionAdmin(OperatorOnly, admin.ModelAdmin):
    list_display = ["title", "opens_at", "closes_at", "published"]
    list_filter = ["published"]
    search_fields = ["title"]
    fields = ["title", "description", "location", "districts", "opens_at", "closes_at", "published"]
    readonly_fields = ["title", "description", "location", "districts", "opens_at", "closes_at"]
    inlines = [DocumentInline]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # created on /voting/discussions/new/, where documents are checked


@admin.register(DiscussionComment)
class DiscussionCommentAdmin(ModeratorsQueue, admin.ModelAdmin):
    list_display = ["discussion", "district", "status", "created_at"]
    list_filter = ["status"]
    list_select_related = ["discussion", "district"]
    fields = readonly_fields = (
        "discussion",
        "district",
        "text",
        "status",
        "reject_reason",
        "response",
        "created_at",
    )
    actions = ["publish"]

    @admin.action(description=_("Publish"))
    def publish(self, request: HttpRequest, queryset: QuerySet[DiscussionComment]) -> None:
        run_for_each(
            request,
            self,
            queryset,
            lambda c: services_discussions.comment_moderate(
                comment_id=c.pk, moderator=actor_of(request), publish=True
            ),
            str(_("Published")),
        )
