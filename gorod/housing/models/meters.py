"""Meters, their reading windows, accepted readings and recorded replacements or rollovers."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gorod.housing.models.buildings import Building, Premise


class Resource(models.TextChoices):
    COLD_WATER = "cold_water", _("cold water")
    HOT_WATER = "hot_water", _("hot water")
    ELECTRICITY = "electricity", _("electricity")
    HEAT = "heat", _("heat")
    GAS = "gas", _("gas")


class ReadingWindow(models.Model):
    """Days of the month in the city's zone when readings of a resource are taken (operator-set).

    ``end_day`` smaller than ``start_day`` means the window runs into the next month
    (water in Moscow: the 15th to the 3rd).
    """

    # Empty: the city's window for the resource; set: that building's own window, which wins.
    building = models.ForeignKey(
        Building,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reading_windows",
        verbose_name=_("building"),
    )
    resource = models.CharField(_("resource"), max_length=16, choices=Resource.choices)
    start_day = models.PositiveSmallIntegerField(_("from day"))
    end_day = models.PositiveSmallIntegerField(_("to day (inclusive)"))

    class Meta:
        verbose_name = _("reading window")
        verbose_name_plural = _("reading windows")
        constraints = [
            models.CheckConstraint(
                condition=Q(start_day__gte=1, start_day__lte=28, end_day__gte=1, end_day__lte=28),
                name="housing_window_days",
            ),
            models.UniqueConstraint(
                fields=["resource"], condition=Q(building__isnull=True), name="housing_window_city_resource"
            ),
            models.UniqueConstraint(
                fields=["building", "resource"],
                condition=Q(building__isnull=False),
                name="housing_window_building_resource",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_resource_display()}: {self.start_day}–{self.end_day}"


def value_field(label: Any = "", *, optional: bool = False, default: Decimal | None = None) -> Any:
    """A meter value: up to 12 digits before the point and 3 after (litres of water, Wh)."""
    extra: dict[str, Any] = {"null": True, "blank": True} if optional else {}
    if default is not None:
        extra["default"] = default
    return models.DecimalField(label or None, max_digits=15, decimal_places=3, **extra)


class Meter(models.Model):
    building = models.ForeignKey(
        Building, on_delete=models.CASCADE, related_name="meters", verbose_name=_("building")
    )
    premise = models.ForeignKey(
        Premise, on_delete=models.CASCADE, related_name="meters", verbose_name=_("premise")
    )
    resource = models.CharField(_("resource"), max_length=16, choices=Resource.choices)
    serial = models.CharField(_("serial number"), max_length=40)
    tariffs = models.PositiveSmallIntegerField(_("tariffs"), default=1)
    digits = models.PositiveSmallIntegerField(_("digits before the point"), default=5)
    verification_due = models.DateField(_("verification due"))
    installed_on = models.DateField(_("installed on"))
    archived_on = models.DateField(_("archived on"), null=True, blank=True)
    initial_value_1 = value_field(_("initial value"), default=Decimal(0))
    initial_value_2 = value_field(_("initial value, tariff 2"), optional=True)
    initial_value_3 = value_field(_("initial value, tariff 3"), optional=True)

    class Meta:
        verbose_name = _("meter")
        verbose_name_plural = _("meters")
        ordering = ["premise", "resource", "serial"]
        constraints = [
            models.UniqueConstraint(fields=["building", "resource", "serial"], name="housing_meter_serial"),
            models.CheckConstraint(
                condition=Q(tariffs__gte=1, tariffs__lte=3) & (Q(tariffs=1) | Q(resource="electricity")),
                name="housing_meter_tariffs",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_resource_display()} {self.serial}"

    def initial_values(self) -> list[Decimal]:
        values = [self.initial_value_1, self.initial_value_2, self.initial_value_3][: self.tariffs]
        return [v if v is not None else Decimal(0) for v in values]


class ReadingSource(models.TextChoices):
    RESIDENT = "resident", _("resident")
    IMPORT = "import", _("import")
    ADMINISTRATOR = "administrator", _("administrator")


class Reading(models.Model):
    """The accepted reading of a meter for a period (first day of the month it belongs to).

    One per meter and period; a resubmission inside the window replaces the values.
    """

    meter = models.ForeignKey(Meter, on_delete=models.CASCADE, related_name="readings", db_index=False)
    period = models.DateField(_("period"))
    value_1 = value_field(_("value"))
    value_2 = value_field(optional=True)
    value_3 = value_field(optional=True)
    consumption = value_field(_("consumption"))
    source = models.CharField(max_length=16, choices=ReadingSource.choices, default=ReadingSource.RESIDENT)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    submissions = models.PositiveSmallIntegerField(default=1)
    flagged = models.BooleanField(_("suspicious"), default=False)
    flag_reason = models.CharField(_("why suspicious"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("reading")
        verbose_name_plural = _("readings")
        ordering = ["meter", "-period"]
        constraints = [
            models.UniqueConstraint(fields=["meter", "period"], name="housing_reading_one_per_period"),
        ]
        indexes = [
            models.Index(fields=["flagged"], condition=Q(flagged=True), name="housing_reading_flagged")
        ]

    def values(self) -> list[Decimal]:
        return [v for v in (self.value_1, self.value_2, self.value_3) if v is not None]


class ResetKind(models.TextChoices):
    REPLACEMENT = "replacement", _("meter replaced")
    ROLLOVER = "rollover", _("counter rolled over")


class MeterReset(models.Model):
    """A recorded replacement or rollover: later readings are compared with these values."""

    meter = models.ForeignKey(Meter, on_delete=models.CASCADE, related_name="resets")
    kind = models.CharField(_("kind"), max_length=12, choices=ResetKind.choices)
    value_1 = value_field(_("value after"))
    value_2 = value_field(optional=True)
    value_3 = value_field(optional=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("meter replacement or rollover")
        verbose_name_plural = _("meter replacements and rollovers")
        ordering = ["meter", "-recorded_at"]

    def values(self) -> list[Decimal]:
        return [v for v in (self.value_1, self.value_2, self.value_3) if v is not None]
