"""Public discussions of urban-planning projects: a project with documents, a map location and
affected districts, open for comments in a window; comments are moderated before they are
shown, answered by the city, and gathered in a final report."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gorod.accounts.models import District
from gorod.core.content import ContentCharField, ContentTextField


class Discussion(models.Model):
    title = ContentCharField(_("title"), max_length=200)
    description = ContentTextField(_("description"))
    location = models.JSONField(_("location (GeoJSON geometry)"), null=True, blank=True)
    districts = models.ManyToManyField(District, related_name="+", verbose_name=_("affected districts"))
    opens_at = models.DateTimeField(_("comments open at"))
    closes_at = models.DateTimeField(_("comments close at"), db_index=True)
    published = models.BooleanField(_("published"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("public discussion")
        verbose_name_plural = _("public discussions")
        ordering = ["-opens_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")), name="discussion_window_order"
            )
        ]

    def __str__(self) -> str:
        return self.title


class DiscussionDocument(models.Model):
    """A project document (drawings, explanatory note) checked by content when uploaded."""

    discussion = models.ForeignKey(
        Discussion, on_delete=models.CASCADE, related_name="documents", verbose_name=_("public discussion")
    )
    title = ContentCharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="discussions/%Y/%m/", max_length=200)
    content_type = models.CharField(_("content type"), max_length=40)
    size = models.PositiveIntegerField(_("size in bytes"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("project document")
        verbose_name_plural = _("project documents")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title


class CommentStatus(models.TextChoices):
    PENDING = "pending", _("awaiting moderation")
    PUBLISHED = "published", _("published")
    REJECTED = "rejected", _("rejected")


class DiscussionComment(models.Model):
    """A resident's comment. ``district`` is the author's home district when they wrote it: the
    public sees only "Resident of <district>", never the author."""

    discussion = models.ForeignKey(
        Discussion, on_delete=models.CASCADE, related_name="comments", verbose_name=_("public discussion")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("author")
    )
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    text = ContentTextField(_("comment"))
    status = models.CharField(
        _("status"), max_length=16, choices=CommentStatus.choices, default=CommentStatus.PENDING
    )
    reject_reason = ContentCharField(_("reason for rejection"), max_length=255, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("moderated by"),
    )
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    response = ContentTextField(_("the city's response"), blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("answered by"),
    )
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("discussion comment")
        verbose_name_plural = _("discussion comments")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["discussion", "status"], name="comment_discussion_status")]

    def __str__(self) -> str:
        return self.text[:60]
