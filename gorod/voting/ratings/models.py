"""City novelties and news rated 1–5 by residents ("Pulse of the capital"), one rating each."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gorod.core.content import ContentCharField, ContentTextField


class RatedItem(models.Model):
    title = ContentCharField(_("title"), max_length=200)
    description = ContentTextField(_("description"), blank=True)
    published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("city novelty")
        verbose_name_plural = _("city novelties")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class Rating(models.Model):
    item = models.ForeignKey(RatedItem, on_delete=models.CASCADE, related_name="ratings")
    resident = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.CharField(_("comment"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(fields=["item", "resident"], name="rating_once_per_item"),
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="rating_score_1_to_5"),
        ]
