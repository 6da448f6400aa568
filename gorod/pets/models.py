"""Lost and found pets: notices with a map point and time, photos, and messages through the site."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from gorod.accounts.models import District
from gorod.core.content import ContentTextField


class NoticeKind(models.TextChoices):
    LOST = "lost", _("lost")
    FOUND = "found", _("found")


class Animal(models.TextChoices):
    DOG = "dog", _("dog")
    CAT = "cat", _("cat")
    BIRD = "bird", _("bird")
    RODENT = "rodent", _("rodent")
    OTHER = "other", _("other animal")


class NoticeStatus(models.TextChoices):
    PENDING = "pending", _("awaiting moderation")
    PUBLISHED = "published", _("published")
    REJECTED = "rejected", _("rejected")
    CLOSED = "closed", _("closed: the pet is home")


class PetNotice(models.Model):
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("author")
    )
    kind = models.CharField(_("notice"), max_length=8, choices=NoticeKind.choices)
    animal = models.CharField(_("animal"), max_length=10, choices=Animal.choices)
    description = ContentTextField(_("description"), max_length=2000)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    seen_at = models.DateTimeField(_("when lost or found"))
    status = models.CharField(
        _("status"), max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.PENDING
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moderated by"),
    )
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    rejection_reason = models.CharField(_("reason for rejection"), max_length=255, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("pet notice")
        verbose_name_plural = _("pet notices")
        ordering = ["-seen_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "kind", "animal", "seen_at"], name="pet_notice_search"),
            models.Index(fields=["latitude", "longitude"], name="pet_notice_point"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__gte=-90, latitude__lte=90) & Q(longitude__gte=-180, longitude__lte=180),
                name="pet_notice_point_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.get_animal_display()} #{self.pk}"


class PetPhoto(models.Model):
    notice = models.ForeignKey(
        PetNotice, on_delete=models.CASCADE, related_name="photos", verbose_name=_("notice")
    )
    file = models.FileField(_("photo"), upload_to="pets/%Y/%m/")
    content_type = models.CharField(_("content type"), max_length=20)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.file.name.rsplit("/", 1)[-1]


class PetMessage(models.Model):
    """A message between someone and a notice's author, through the site (no contacts shown)."""

    notice = models.ForeignKey(
        PetNotice, on_delete=models.CASCADE, related_name="messages", verbose_name=_("notice")
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("sender")
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("recipient")
    )
    body = models.TextField(_("message"), max_length=2000)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(sender=models.F("recipient")), name="pet_message_not_to_self")
        ]

    def __str__(self) -> str:
        return Truncator(self.body).chars(80)
