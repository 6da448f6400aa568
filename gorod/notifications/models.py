from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gorod.core.content import ContentCharField, ContentTextField
from gorod.core.messages import render


class Notification(models.Model):
    """A message in a resident's notification centre; at most one per resident and event."""

    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("resident"),
    )
    kind = models.SlugField(_("kind"), max_length=40)
    event_key = models.CharField(_("event key"), max_length=160)
    title = ContentCharField(_("title"), max_length=200)
    body = ContentTextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    # The title and text as message ids with parameters, rendered in the reader's language
    # (gorod/core/messages.py); empty on rows written before, which show title and body as stored.
    title_message = models.JSONField(_("notification title"), null=True, blank=True)
    body_message = models.JSONField(_("notification text"), null=True, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["resident", "event_key"], name="notification_once_per_event"),
        ]
        indexes = [models.Index(fields=["resident", "-id"], name="notification_inbox")]

    def __str__(self) -> str:
        return self.shown_title

    @property
    def shown_title(self) -> str:
        return render(self.title_message, self.title)

    @property
    def shown_body(self) -> str:
        return render(self.body_message, self.body)


class Preference(models.Model):
    """Whether a resident wants e-mail for one kind of notification (on by default)."""

    resident = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.SlugField(max_length=40)
    by_email = models.BooleanField(_("by e-mail"), default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["resident", "kind"], name="preference_unique_kind")]
