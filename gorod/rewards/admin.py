"""Operator console for Million Prizes. Ledger-linked rows are opened through services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from gorod.accounts.edge import resident_of
from gorod.core.errors import DomainError
from gorod.rewards import services, services_catalogue
from gorod.rewards.models import (
    Category,
    CharityFund,
    Donation,
    Order,
    Partner,
    PartnerStaff,
    PickupPoint,
    Reward,
    RewardKind,
    RewardPickupPoint,
)


class ReadOnlyMixin:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "ordering_weight"]
    prepopulated_fields = {"slug": ["name"]}


class PickupPointInline(admin.TabularInline):
    model = PickupPoint
    extra = 0
    fields = ["name", "address", "district", "latitude", "longitude", "opening_hours", "is_active"]


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "contact", "is_active", "ledger_account"]
    search_fields = ["name"]
    readonly_fields = ["ledger_account"]
    inlines = [PickupPointInline]
    # A partner's site typed as "shop.ru" is https today (and Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request: HttpRequest, obj: Partner, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        services_catalogue.partner_account_open(partner=obj)


@admin.register(PartnerStaff)
class PartnerStaffAdmin(admin.ModelAdmin):
    list_display = ["resident", "partner", "added_at"]
    list_select_related = ["resident", "partner"]
    autocomplete_fields = ["resident"]
    fields = ["partner", "resident"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: PartnerStaff, form: Any, change: bool) -> None:
        staff = services_catalogue.partner_staff_assign(
            partner=obj.partner,
            resident=obj.resident,
            actor=resident_of(request),
        )
        obj.pk = staff.pk

    def delete_model(self, request: HttpRequest, obj: PartnerStaff) -> None:
        services_catalogue.partner_staff_remove(staff=obj, actor=resident_of(request))

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for staff in queryset:
            self.delete_model(request, staff)


@admin.register(PickupPoint)
class PickupPointAdmin(admin.ModelAdmin):
    list_display = ["name", "partner", "address", "district", "is_active"]
    list_filter = ["partner", "district", "is_active"]
    list_select_related = ["partner", "district"]
    search_fields = ["name", "address"]


class RewardPickupPointInline(admin.TabularInline):
    model = RewardPickupPoint
    extra = 0
    autocomplete_fields = ["pickup_point"]


class PromoCodeUploadForm(forms.Form):
    file = forms.FileField(label=_("CSV file, one code per row"))


@admin.register(Reward)
class RewardAdmin(admin.ModelAdmin):
    list_display = ["title", "partner", "kind", "price", "stock", "is_published"]
    list_filter = ["kind", "partner", "category", "is_published"]
    list_select_related = ["partner"]
    search_fields = ["title"]
    inlines = [RewardPickupPointInline]
    readonly_fields = ["promo_codes"]

    @admin.display(description=_("promo code pool"))
    def promo_codes(self, obj: Reward) -> str:
        if obj.pk is None or obj.kind != RewardKind.PROMO_CODE:
            return "—"
        url = reverse("admin:rewards_reward_promo_codes", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Upload a CSV of codes"))

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "<int:reward_id>/promo-codes/",
                self.admin_site.admin_view(self.promo_codes_view),
                name="rewards_reward_promo_codes",
            ),
            *super().get_urls(),
        ]

    def promo_codes_view(self, request: HttpRequest, reward_id: int) -> HttpResponse:
        reward = get_object_or_404(Reward, pk=reward_id, kind=RewardKind.PROMO_CODE)
        if not self.has_change_permission(request, reward):
            return HttpResponseRedirect(reverse("admin:index"))
        form = PromoCodeUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                added = services_catalogue.promo_codes_upload(
                    reward=reward,
                    raw=form.cleaned_data["file"].read(),
                    actor=resident_of(request),
                )
            except DomainError as error:
                form.add_error("file", error.text)
            else:
                messages.success(request, _("%(added)s new codes added to the pool.") % {"added": added})
                return HttpResponseRedirect(reverse("admin:rewards_reward_change", args=[reward.pk]))
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "reward": reward,
            "title": reward.title,
        }
        return TemplateResponse(request, "rewards/admin_promo_codes.html", context)


@admin.register(Order)
class OrderAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["code", "reward", "partner", "resident", "price", "status", "created_at", "pickup_until"]
    list_filter = ["status", "partner"]
    list_select_related = ["reward", "partner", "resident"]
    search_fields = ["code"]
    actions = ["expire_overdue"]

    @admin.action(description=_("Expire every order past its pickup window now"), permissions=["view"])
    def expire_overdue(self, request: HttpRequest, queryset: Any) -> None:
        count = services.orders_expire()
        messages.info(request, _("%(count)s orders expired.") % {"count": count})


@admin.register(CharityFund)
class CharityFundAdmin(admin.ModelAdmin):
    list_display = ["name", "verification", "min_donation", "max_donation", "ledger_account"]
    list_filter = ["verification"]
    readonly_fields = ["ledger_account"]

    def save_model(self, request: HttpRequest, obj: CharityFund, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        services_catalogue.fund_account_open(fund=obj)


@admin.register(Donation)
class DonationAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["receipt_number", "fund", "resident", "amount", "created_at"]
    list_filter = ["fund"]
    list_select_related = ["fund", "resident"]
    search_fields = ["receipt_number"]
