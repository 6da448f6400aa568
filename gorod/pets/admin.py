from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from gorod.accounts.edge import resident_of
from gorod.core.errors import DomainError
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

    @admin.action(description="Publish the selected pending notices")
    def publish(self, request: HttpRequest, queryset: QuerySet[PetNotice]) -> None:
        done = 0
        for notice in queryset.filter(status=NoticeStatus.PENDING).order_by("pk"):
            try:
                services.notice_moderate(notice_id=notice.pk, moderator=resident_of(request), approve=True)
                done += 1
            except DomainError as error:
                self.message_user(request, error.text, messages.ERROR)
        self.message_user(request, f"{done} published")


@admin.register(PetMessage)
class PetMessageAdmin(admin.ModelAdmin):
    list_display = ["notice", "sender", "recipient", "created_at"]
    list_select_related = ["notice", "sender", "recipient"]
    readonly_fields = ["notice", "sender", "recipient", "body", "created_at"]
