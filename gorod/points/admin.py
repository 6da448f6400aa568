from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Max
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from gorod.accounts.edge import resident_of
from gorod.points import services_rules
from gorod.points.models import (
    DailyCheckpoint,
    EarningRule,
    Hold,
    LedgerAccount,
    Programme,
    RuleVersion,
    Transfer,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """The ledger is append-only: the console shows it and never edits it."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "budget", "budget_used"]
    readonly_fields = ["budget_used"]


class RuleVersionInline(admin.TabularInline):
    model = RuleVersion
    extra = 0
    can_delete = False
    fields = [
        "number",
        "amount_simplified",
        "amount_standard",
        "amount_full",
        "percent_basis_points",
        "cap_amount",
        "cap_period",
        "valid_from",
        "valid_until",
        "expiry_days",
        "note",
        "created_by",
        "created_at",
    ]
    readonly_fields = list(fields)  # type: ignore[arg-type]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(EarningRule)
class EarningRuleAdmin(admin.ModelAdmin):
    list_display = ["name", "programme", "action", "current_version"]
    list_filter = ["programme"]
    inlines = [RuleVersionInline]

    @admin.display(description=_("version"))
    def current_version(self, rule: EarningRule) -> int | None:
        return rule.versions.aggregate(n=Max("number"))["n"]


@admin.register(RuleVersion)
class RuleVersionAdmin(admin.ModelAdmin):
    """Publishing terms always adds a version; a published version is never edited."""

    list_display = [
        "rule",
        "number",
        "amount_standard",
        "amount_full",
        "percent_basis_points",
        "cap_amount",
        "created_at",
    ]
    list_filter = ["rule__programme"]
    exclude = ["number", "created_by", "created_at"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: RuleVersion, form: Any, change: bool) -> None:
        terms = {f: form.cleaned_data.get(f) for f in form.cleaned_data if f != "rule"}
        published = services_rules.rule_version_publish(rule=obj.rule, actor=resident_of(request), **terms)
        obj.pk = published.pk
        obj.number = published.number


@admin.register(LedgerAccount)
class LedgerAccountAdmin(ReadOnlyAdmin):
    list_display = ["key", "kind", "name", "balance", "held"]
    list_filter = ["kind"]
    search_fields = ["key", "name"]


@admin.register(Transfer)
class TransferAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "created_at",
        "debit",
        "credit",
        "amount",
        "programme",
        "reason",
        "source_key",
        "actor",
    ]
    list_filter = ["programme", "reason"]
    search_fields = ["source_key"]
    list_select_related = ["debit", "credit", "programme", "actor"]
    show_full_result_count = False


@admin.register(Hold)
class HoldAdmin(ReadOnlyAdmin):
    list_display = ["id", "account", "amount", "status", "reason", "expires_at", "created_at"]
    list_filter = ["status"]
    list_select_related = ["account"]


@admin.register(DailyCheckpoint)
class DailyCheckpointAdmin(ReadOnlyAdmin):
    list_display = ["day", "transfer_count", "total_amount", "root"]
