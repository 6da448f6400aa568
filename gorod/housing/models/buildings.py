"""Buildings, premises, the owners register and residents' links to premises."""

from __future__ import annotations

from fractions import Fraction

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gorod.accounts.models import District
from gorod.core.content import ContentCharField


class Building(models.Model):
    address = ContentCharField(_("address"), max_length=255, unique=True)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    year_built = models.PositiveSmallIntegerField(_("year built"), null=True, blank=True)
    management_organisation = ContentCharField(_("management organisation"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["address"]

    def __str__(self) -> str:
        return self.address


class BuildingAdministrator(models.Model):
    """A staff member with the building_administrator role, scoped to one building."""

    building = models.ForeignKey(
        Building, on_delete=models.CASCADE, related_name="administrators", verbose_name=_("building")
    )
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="administered_buildings",
        verbose_name=_("resident"),
    )
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now)

    class Meta:
        verbose_name = _("building administrator")
        verbose_name_plural = _("building administrators")
        constraints = [
            models.UniqueConstraint(fields=["building", "resident"], name="housing_admin_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.resident} @ {self.building}"


class PremiseKind(models.TextChoices):
    FLAT = "flat", _("flat")
    NON_RESIDENTIAL = "non_residential", _("non-residential")
    PARKING = "parking", _("parking space")


class Premise(models.Model):
    building = models.ForeignKey(
        Building, on_delete=models.CASCADE, related_name="premises", verbose_name=_("building")
    )
    number = models.CharField(_("number"), max_length=20)
    kind = models.CharField(_("kind"), max_length=16, choices=PremiseKind.choices, default=PremiseKind.FLAT)
    area = models.DecimalField(_("area, m²"), max_digits=10, decimal_places=2)

    class Meta:
        verbose_name = _("premise")
        verbose_name_plural = _("premises")
        ordering = ["building", "number"]
        constraints = [
            models.UniqueConstraint(fields=["building", "number"], name="housing_premise_unique_number"),
            models.CheckConstraint(condition=Q(area__gt=0), name="housing_premise_area_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.building}, {self.number}"


class OwnershipKind(models.TextChoices):
    SOLE = "sole", _("sole")
    SHARED = "shared", _("shared")
    JOINT = "joint", _("joint")


class CurrentOwnerships(models.Manager["Ownership"]):
    """Lines in force: the register everything reads (votes, shares, links). Ended lines stay
    in the table as the premise's history (``Ownership.history``)."""

    def get_queryset(self) -> models.QuerySet[Ownership]:
        return super().get_queryset().filter(ended_on__isnull=True)


class Ownership(models.Model):
    """One line of the owners register.

    The share is an exact fraction of the premise. Joint owners (e.g. spouses) hold one share
    together: each of their rows carries the whole joint share and the same ``joint_group``,
    and the group counts once in sums and votes once in a meeting.
    """

    premise = models.ForeignKey(
        Premise, on_delete=models.CASCADE, related_name="ownerships", verbose_name=_("premise")
    )
    owner_name = ContentCharField(_("owner"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ownerships",
        verbose_name=_("resident account"),
    )
    kind = models.CharField(
        _("kind"), max_length=8, choices=OwnershipKind.choices, default=OwnershipKind.SOLE
    )
    share_numerator = models.PositiveIntegerField(_("share numerator"), default=1)
    share_denominator = models.PositiveIntegerField(_("share denominator"), default=1)
    joint_group = models.PositiveSmallIntegerField(_("joint group"), null=True, blank=True)
    document_number = models.CharField(_("ownership document number"), max_length=80)
    document_date = models.DateField(_("ownership document date"))
    ended_on = models.DateField(_("ownership ended on"), null=True, blank=True)
    end_reason = models.CharField(_("why it ended"), max_length=255, blank=True)

    objects = CurrentOwnerships()
    history = models.Manager()  # noqa: DJ012 - a manager, named like the register it keeps

    class Meta:
        verbose_name = _("ownership")
        base_manager_name = "history"
        verbose_name_plural = _("owners register")
        ordering = ["premise", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(share_numerator__gt=0)
                & Q(share_denominator__gt=0)
                & Q(share_numerator__lte=models.F("share_denominator")),
                name="housing_share_in_range",
            ),
            models.CheckConstraint(
                condition=Q(kind="joint", joint_group__isnull=False)
                | (~Q(kind="joint") & Q(joint_group__isnull=True)),
                name="housing_joint_has_group",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.owner_name}: {self.share} of {self.premise}"

    @property
    def share(self) -> Fraction:
        return Fraction(self.share_numerator, self.share_denominator)


class LinkRole(models.TextChoices):
    OWNER = "owner", _("owner")
    TENANT = "tenant", _("tenant")


class LinkStatus(models.TextChoices):
    PENDING = "pending", _("waiting for confirmation")
    CONFIRMED = "confirmed", _("confirmed")
    REJECTED = "rejected", _("rejected")


class PremiseLink(models.Model):
    """A resident's request to be linked to a premise, confirmed by the building administrator."""

    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="premise_links"
    )
    premise = models.ForeignKey(Premise, on_delete=models.CASCADE, related_name="links")
    role = models.CharField(_("as"), max_length=8, choices=LinkRole.choices)
    document_number = models.CharField(_("ownership document number"), max_length=80, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=LinkStatus.choices, default=LinkStatus.PENDING
    )
    ownership = models.ForeignKey(
        Ownership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("premise link")
        verbose_name_plural = _("premise links")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "premise"],
                condition=Q(status__in=["pending", "confirmed"]),
                name="housing_link_unique_live",
            )
        ]
