"""Monthly single payment documents (bills) and payments through a provider."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gorod.core.content import ContentCharField
from gorod.housing.models.buildings import Premise


class Bill(models.Model):
    premise = models.ForeignKey(Premise, on_delete=models.CASCADE, related_name="bills")
    period = models.DateField(_("period"))
    payer_code = models.CharField(_("payer code"), max_length=32)
    amount_due = models.BigIntegerField(_("amount due, kopecks"))
    # Sum of done (not refunded) payments; moved only together with a payment's state.
    amount_paid = models.BigIntegerField(_("paid, kopecks"), default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("bill")
        verbose_name_plural = _("bills")
        ordering = ["-period", "premise"]
        constraints = [
            models.UniqueConstraint(fields=["premise", "period"], name="housing_bill_one_per_period"),
            models.CheckConstraint(condition=Q(amount_due__gt=0), name="housing_bill_due_positive"),
            models.CheckConstraint(
                condition=Q(amount_paid__gte=0) & Q(amount_paid__lte=models.F("amount_due")),
                name="housing_bill_paid_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.premise} {self.period:%Y-%m}"

    @property
    def outstanding(self) -> int:
        return self.amount_due - self.amount_paid

    @property
    def is_paid(self) -> bool:
        return self.amount_paid >= self.amount_due


class BillLine(models.Model):
    bill = models.ForeignKey(Bill, on_delete=models.CASCADE, related_name="lines")
    service = ContentCharField(_("service"), max_length=120)
    amount = models.BigIntegerField(_("amount, kopecks"))

    class Meta:
        ordering = ["bill", "pk"]


class PaymentState(models.TextChoices):
    CREATED = "created", _("created")
    PROCESSING = "processing", _("processing")
    DONE = "done", _("paid")
    FAILED = "failed", _("failed")
    REFUNDED = "refunded", _("refunded")


class Payment(models.Model):
    """One attempt to pay (part of) a bill. Its state only moves forward:
    created → processing → done → refunded, or to failed from created/processing."""

    bill = models.ForeignKey(Bill, on_delete=models.PROTECT, related_name="payments", verbose_name=_("bill"))
    payer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("payer")
    )
    amount = models.BigIntegerField(_("amount, kopecks"))
    state = models.CharField(
        _("state"), max_length=12, choices=PaymentState.choices, default=PaymentState.CREATED
    )
    provider = models.CharField(_("provider"), max_length=32)
    reference = models.CharField(_("reference"), max_length=64, unique=True)
    cashback = models.BigIntegerField(_("cashback, points"), default=0)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="housing_payment_positive")]

    def __str__(self) -> str:
        return self.reference


class PaymentEvent(models.Model):
    """Every authenticated provider callback, once by its event id (replays are recognised)."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="events")
    event_id = models.CharField(max_length=64)
    provider = models.CharField(max_length=32)
    state = models.CharField(max_length=12, choices=PaymentState.choices)
    applied = models.BooleanField(default=False)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "event_id"], name="housing_payment_event_once"),
        ]
