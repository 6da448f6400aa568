from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from gorod.accounts.models import (
    Address,
    ApiToken,
    AuditEntry,
    District,
    LevelChange,
    Okrug,
    ProviderIdentity,
    Resident,
)


class LevelChangeInline(admin.TabularInline):
    model = LevelChange
    fk_name = "resident"
    extra = 0
    can_delete = False
    readonly_fields = ["from_level", "to_level", "source", "changed_by", "reason", "changed_at"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ProviderIdentityInline(admin.TabularInline):
    """Which identity providers confirm this resident, and the level each confirmed last."""

    model = ProviderIdentity
    extra = 0
    can_delete = False
    readonly_fields = ["provider", "subject", "level", "level_claims", "level_confirmed_at", "linked_at"]
    fields = ("provider", "subject", "level", "level_claims", "level_confirmed_at", "linked_at")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Resident)
class ResidentAdmin(UserAdmin):
    list_display = [
        "username",
        "first_name",
        "last_name",
        "email",
        "phone",
        "level",
        "home_district",
        "is_staff",
    ]
    list_filter = ["level", "is_staff", "groups", "home_district__okrug"]
    search_fields = ["username", "first_name", "last_name", "email", "phone"]
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        (_("City"), {"fields": ("phone", "home_district", "consents_to_notifications", "level")}),
    )
    readonly_fields = ["level"]
    inlines = [ProviderIdentityInline, LevelChangeInline]
    # No level buttons here: a level changes only by deciding a request whose document an
    # operator checked (accounts/services_levels.py, /accounts/staff/level-requests/).
    actions: list[str] = []


@admin.register(Okrug)
class OkrugAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "okrug"]
    list_filter = ["okrug"]


@admin.register(Address)
class AddressAdmin(admin.ModelAdmin):
    list_display = ["text", "district", "latitude", "longitude"]
    search_fields = ["text"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["resident", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["resident", "name", "prefix", "digest", "created_at", "last_used_at"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "action", "object_type", "object_id", "reason"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_id", "actor__username", "reason"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "created_at",
        "actor",
        "action",
        "object_type",
        "object_id",
        "before",
        "after",
        "reason",
    ]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
