"""Console for photo contests: operators see contests; moderators see the photos and publish them
(rejection needs a reason, given on the moderation page). Changes go through the services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from gorod.core.admin_actions import run_for_each
from gorod.voting.console import ModeratorsQueue, OperatorOnly, actor_of
from gorod.voting.contests import services as services_contests
from gorod.voting.contests.models import ContestPhoto, PhotoContest


@admin.register(PhotoContest)
class PhotoContestAdmin(OperatorOnly, admin.ModelAdmin):
    list_display = ["title", "uploads_close_at", "voting_close_at", "winners_marked_at", "published"]
    list_filter = ["published"]
    search_fields = ["title"]
    fields = (
        "title",
        "theme",
        "uploads_open_at",
        "uploads_close_at",
        "voting_open_at",
        "voting_close_at",
        "winner_points",
        "winners_marked_at",
        "published",
    )
    readonly_fields = (
        "uploads_open_at",
        "uploads_close_at",
        "voting_open_at",
        "voting_close_at",
        "winner_points",
        "winners_marked_at",
    )

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # announced on /voting/contests/new/, where the windows are checked


@admin.register(ContestPhoto)
class ContestPhotoAdmin(ModeratorsQueue, admin.ModelAdmin):
    list_display = ["__str__", "contest", "district", "status", "is_winner", "created_at"]
    list_filter = ["status", "is_winner"]
    list_select_related = ["contest", "district"]
    fields = readonly_fields = (
        "contest",
        "district",
        "title",
        "file",
        "width",
        "height",
        "status",
        "reject_reason",
        "is_winner",
        "created_at",
    )
    actions = ["publish"]

    @admin.action(description=_("Publish"))
    def publish(self, request: HttpRequest, queryset: QuerySet[ContestPhoto]) -> None:
        run_for_each(
            request,
            self,
            queryset,
            lambda p: services_contests.photo_moderate(
                photo_id=p.pk, moderator=actor_of(request), publish=True
            ),
            str(_("Published")),
        )
