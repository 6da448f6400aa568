from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from gorod.accounts.edge import resident_of
from gorod.core.admin_actions import run_for_each
from gorod.pets import services
from gorod.pets.models import NoticeStatus, PetMessage, PetNotice, PetPhoto


class PhotoInline(admin.TabularInline):
    model = PetPhoto
    extra = 0
    fields = ["file", "content_type", "created_at"]
    readonly_fields = ["file", "content_type", "created_at"]


@admin.register(PetNotice)
class PetNoticeAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "animal", "district", "seen_at", "status", "author"]
    list_filter = ["status", "kind", "animal", "district"]
    search_fields = ["description"]
    list_select_related = ["district", "author"]
    readonly_fields = ["author", "moderated_by", "moderated_at", "closed_at", "created_at", "status"]
    inlines = [PhotoInline]
    actions = ["publish"]

    @admin.action(description=_("Publish the selected pending notices"))
    def publish(self, request: HttpRequest, queryset: QuerySet[PetNotice]) -> None:
        moderator = resident_of(request)
        run_for_each(
            request,
            self,
            queryset.filter(status=NoticeStatus.PENDING),
            lambda notice: services.notice_moderate(
                notice_id=notice.pk,
                moderator=moderator,
                approve=True,
            ),
            str(_("Published")),
        )


@admin.register(PetMessage)
class PetMessageAdmin(admin.ModelAdmin):
    list_display = ["notice", "sender", "recipient", "created_at"]
    list_select_related = ["notice", "sender", "recipient"]
    readonly_fields = ["notice", "sender", "recipient", "body", "created_at"]
