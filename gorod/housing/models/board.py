"""The building board: residents' announcements moderated by the administrator, and the
administrator's emergency announcements pinned on top."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gorod.core.content import ContentCharField, ContentTextField
from gorod.core.messages import render
from gorod.housing.models.buildings import Building


class AnnouncementStatus(models.TextChoices):
    PENDING = "pending", _("waiting for moderation")
    APPROVED = "approved", _("published")
    REJECTED = "rejected", _("rejected")


class Announcement(models.Model):
    building = models.ForeignKey(Building, on_delete=models.CASCADE, related_name="announcements")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("author")
    )
    title = ContentCharField(_("title"), max_length=120)
    # Stored as written; contacts are masked when shown to anyone but the author.
    body = ContentTextField(_("text"), max_length=2000)
    # Posted by the building's administrator: published at once, contacts kept (a dispatcher's
    # phone number is the point of an emergency notice).
    official = models.BooleanField(_("from the administrator"), default=False)
    emergency = models.BooleanField(_("emergency"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=AnnouncementStatus.choices, default=AnnouncementStatus.PENDING
    )
    # A notice the system posts (a meeting's call) as message ids with parameters, read in each
    # reader's language (gorod/core/messages.py); empty for what a person wrote, shown as written.
    title_message = models.JSONField(null=True, blank=True)
    body_message = models.JSONField(null=True, blank=True)
    reason = models.CharField(_("reason for rejection"), max_length=255, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-emergency", "-published_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(emergency=False) | Q(official=True), name="housing_emergency_is_official"
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(published_at__isnull=False),
                name="housing_announcement_published_at",
            ),
        ]
        indexes = [
            models.Index(
                fields=["building", "-emergency", "-published_at"],
                condition=Q(status="approved"),
                name="housing_board_published",
            ),
            models.Index(
                fields=["building", "created_at"], condition=Q(status="pending"), name="housing_board_pending"
            ),
        ]

    def __str__(self) -> str:
        return self.shown_title

    @property
    def shown_title(self) -> str:
        return render(self.title_message, self.title)

    @property
    def shown_body(self) -> str:
        return render(self.body_message, self.body)
