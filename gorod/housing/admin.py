"""Electronic Home in the operator console (/console/): buildings and their administrators,
premises, the owners register with its history, meters, reading windows and payments.

Building administrators see and change only their buildings; the city operator sees all.
Every add or change goes through a service (which checks the actor's building and writes the
audit log): the console's form calls it in ``clean`` so a refusal shows next to the field
and nothing is written."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from gorod.accounts.edge import resident_of
from gorod.accounts.models import Resident
from gorod.accounts.permissions import is_operator
from gorod.core.console_links import LinksTheViewerMayOpen
from gorod.core.errors import DomainError
from gorod.housing import permissions
from gorod.housing.buildings import rules as buildings_rules
from gorod.housing.buildings import services as services_buildings
from gorod.housing.console import services as services_console
from gorod.housing.console.admin_views import MeterReplaceMixin, PaymentRefundMixin
from gorod.housing.meters import services as services_meters
from gorod.housing.models import (
    Building,
    BuildingAdministrator,
    Meter,
    Ownership,
    Payment,
    Premise,
    ReadingWindow,
)


class ServiceForm(forms.ModelForm):
    """A console form whose ``write`` calls the service; the service validates, so the model's
    own validation is not repeated after it (it would run after the write)."""

    actor: Resident
    # A service's field name -> this form's, where they differ.
    field_aliases: dict[str, str] = {}

    def write(self, change: bool) -> Any:
        raise NotImplementedError

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        try:
            self.instance = self.write(bool(self.instance.pk))
        except DomainError as exc:
            field = self.field_aliases.get(exc.field or "", exc.field)
            self.add_error(field if field in self.fields else None, exc.text)
        return cleaned

    def _post_clean(self) -> None:
        return None


class ScopedAdmin(LinksTheViewerMayOpen, admin.ModelAdmin):
    """Shown to building staff; rows limited to the buildings the user administers."""

    building_path = "building"

    def has_module_permission(self, request: HttpRequest) -> bool:
        return permissions.is_building_staff(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return permissions.is_building_staff(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return permissions.is_building_staff(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return permissions.is_building_staff(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def administered(self, request: HttpRequest) -> QuerySet[Building]:
        if is_operator(request.user):
            return Building.objects.all()
        return Building.objects.filter(administrators__resident=resident_of(request))

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        if is_operator(request.user):
            return queryset
        return queryset.filter(**{f"{self.building_path}__in": self.administered(request)})

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.related_model is Building:
            kwargs["queryset"] = self.administered(request)
        elif db_field.related_model is Premise:
            kwargs["queryset"] = Premise.objects.filter(
                building__in=self.administered(request)
            ).select_related("building")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """Already written by the service in the form's ``clean``."""


class BuildingForm(ServiceForm):
    class Meta:
        model = Building
        fields = ["address", "district", "year_built", "management_organisation"]

    def write(self, change: bool) -> Building:
        data = self.cleaned_data
        if change:
            return services_console.building_update(
                building=self.instance,
                address=data["address"],
                year_built=data.get("year_built"),
                management_organisation=data.get("management_organisation", ""),
                actor=self.actor,
            )
        return services_buildings.building_create(
            address=data["address"],
            district=data["district"],
            year_built=data.get("year_built"),
            management_organisation=data.get("management_organisation", ""),
            actor=self.actor,
        )


@admin.register(Building)
class BuildingAdmin(ScopedAdmin):
    form = BuildingForm
    building_path = "pk"
    list_display = ["address", "district", "management_organisation"]
    search_fields = ["address"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        if is_operator(request.user):
            return Building.objects.all()
        return self.administered(request)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # A management organisation's administrator who adds a building administers it at once.
        return ["district"] if obj is not None else []


class AdministratorForm(ServiceForm):
    class Meta:
        model = BuildingAdministrator
        fields = ["building", "resident"]

    def write(self, change: bool) -> BuildingAdministrator:
        return services_buildings.administrator_assign(
            building=self.cleaned_data["building"], resident=self.cleaned_data["resident"], actor=self.actor
        )


@admin.register(BuildingAdministrator)
class BuildingAdministratorAdmin(ScopedAdmin):
    form = AdministratorForm
    list_display = ["building", "resident", "assigned_at"]
    raw_id_fields = ["resident"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_operator(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_operator(request.user)

    def delete_model(self, request: HttpRequest, obj: BuildingAdministrator) -> None:
        services_console.administrator_remove(assignment=obj, actor=resident_of(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[BuildingAdministrator]) -> None:
        for assignment in queryset.order_by("pk"):
            services_console.administrator_remove(assignment=assignment, actor=resident_of(request))


class PremiseForm(ServiceForm):
    class Meta:
        model = Premise
        fields = ["building", "number", "kind", "area"]

    def write(self, change: bool) -> Premise:
        data = self.cleaned_data
        if change:
            return services_console.premise_update(
                premise=self.instance,
                number=data["number"],
                kind=data["kind"],
                area=data["area"],
                actor=self.actor,
            )
        return services_buildings.premise_create(
            building=data["building"],
            number=data["number"],
            kind=data["kind"],
            area=data["area"],
            actor=self.actor,
        )


@admin.register(Premise)
class PremiseAdmin(ScopedAdmin):
    form = PremiseForm
    list_display = ["number", "building", "kind", "area"]
    list_filter = ["kind"]
    search_fields = ["number", "building__address"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["building"] if obj is not None else []


class OwnershipForm(ServiceForm):
    share = forms.CharField(label=_("Share, e.g. 1/2"), max_length=20, initial="1")
    end_reason_text = forms.CharField(
        label=_("End this ownership: why"),
        max_length=255,
        required=False,
        help_text=_("A sale, an inheritance... The line leaves the register and stays in its history."),
    )

    class Meta:
        model = Ownership
        fields = ["premise", "owner_name", "owner", "kind", "joint_group", "document_number", "document_date"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["share"].initial = str(self.instance.share)

    def write(self, change: bool) -> Ownership:
        data = self.cleaned_data
        share = buildings_rules.parse_share(data["share"])
        if change and data.get("end_reason_text"):
            return services_console.ownership_end(
                ownership=self.instance, reason=data["end_reason_text"], actor=self.actor
            )
        if change:
            return services_console.ownership_change(
                ownership=self.instance,
                owner_name=data["owner_name"],
                share=share,
                kind=data["kind"],
                joint_group=data.get("joint_group"),
                document_number=data["document_number"],
                document_date=data["document_date"],
                actor=self.actor,
            )
        return services_buildings.ownership_add(
            premise=data["premise"],
            owner_name=data["owner_name"],
            owner=data.get("owner"),
            share=share,
            kind=data["kind"],
            joint_group=data.get("joint_group"),
            document_number=data["document_number"],
            document_date=data["document_date"],
            actor=self.actor,
        )


@admin.register(Ownership)
class OwnershipAdmin(ScopedAdmin):
    """The register with its history: ended lines stay listed with the day they ended."""

    form = OwnershipForm
    building_path = "premise__building"
    list_display = ["owner_name", "premise", "kind", "share_numerator", "share_denominator", "ended_on"]
    list_filter = ["kind", ("ended_on", admin.EmptyFieldListFilter)]
    search_fields = ["owner_name", "document_number", "premise__number"]
    raw_id_fields = ["owner"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        history = Ownership.history.select_related("premise__building")
        if is_operator(request.user):
            return history
        return history.filter(premise__building__in=self.administered(request))

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_fields(request, obj))
        return [f for f in fields if f != "end_reason_text"] if obj is None else fields

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # The resident account is linked by confirming a verification request, not typed here.
        return ["premise", "owner"] if obj is not None else []

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and (obj is None or obj.ended_on is None)


class MeterForm(ServiceForm):
    initial_values = forms.CharField(
        label=_("Initial reading"),
        initial="0",
        help_text=_("What the new meter shows when installed, one value per tariff, separated by spaces."),
    )
    field_aliases = {"values": "initial_values"}

    class Meta:
        model = Meter
        fields = ["premise", "resource", "serial", "tariffs", "digits", "verification_due", "installed_on"]

    def write(self, change: bool) -> Meter:
        data = self.cleaned_data
        return services_meters.meter_create(
            premise=data["premise"],
            resource=data["resource"],
            serial=data["serial"],
            verification_due=data["verification_due"],
            installed_on=data["installed_on"],
            tariffs=data["tariffs"],
            digits=data["digits"],
            initial_values=data["initial_values"].split(),
            actor=self.actor,
        )


@admin.register(Meter)
class MeterAdmin(MeterReplaceMixin, ScopedAdmin):
    form = MeterForm
    list_display = ["serial", "resource", "premise", "verification_due", "archived_on", "replace_link"]
    list_filter = ["resource"]
    search_fields = ["serial", "premise__number"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)


class ReadingWindowForm(ServiceForm):
    class Meta:
        model = ReadingWindow
        fields = ["building", "resource", "start_day", "end_day"]

    def write(self, change: bool) -> ReadingWindow:
        data = self.cleaned_data
        # On a change the building and resource are read-only (not in the form): the window's own.
        return services_console.reading_window_set(
            building=self.instance.building if change else data.get("building"),
            resource=self.instance.resource if change else data["resource"],
            start_day=data["start_day"],
            end_day=data["end_day"],
            actor=self.actor,
        )


@admin.register(ReadingWindow)
class ReadingWindowAdmin(ScopedAdmin):
    form = ReadingWindowForm
    list_display = ["resource", "building", "start_day", "end_day"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = ReadingWindow.objects.select_related("building")
        if is_operator(request.user):
            return queryset
        return queryset.filter(building__in=self.administered(request))

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["building", "resource"] if obj is not None else []


@admin.register(Payment)
class PaymentAdmin(PaymentRefundMixin, ScopedAdmin):
    building_path = "bill__premise__building"
    list_display = ["reference", "bill", "amount", "state", "cashback", "refund_link"]
    list_filter = ["state"]
    search_fields = ["reference"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
