"""Photo contests: a theme, an upload window and a voting window; residents send photos that are
moderated before they are shown, vote for other residents' photos (one vote per photo), and the
operator marks the winners once voting has ended. Points come from the photo_contest rule, up to
its per-contest cap."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gorod.accounts.models import District
from gorod.core.content import ContentCharField, ContentTextField


class PhotoContest(models.Model):
    title = ContentCharField(_("title"), max_length=200)
    theme = ContentTextField(_("theme and rules"))
    uploads_open_at = models.DateTimeField(_("uploads open at"))
    uploads_close_at = models.DateTimeField(_("uploads close at"))
    voting_open_at = models.DateTimeField(_("voting opens at"))
    voting_close_at = models.DateTimeField(_("voting closes at"), db_index=True)
    winner_points = models.PositiveIntegerField(_("points for a winning photo"), default=1000)
    winners_marked_at = models.DateTimeField(_("winners marked at"), null=True, blank=True)
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
        verbose_name = _("photo contest")
        verbose_name_plural = _("photo contests")
        ordering = ["-voting_close_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(uploads_close_at__gt=models.F("uploads_open_at"))
                & models.Q(voting_close_at__gt=models.F("voting_open_at"))
                & models.Q(voting_open_at__gte=models.F("uploads_open_at"))
                & models.Q(voting_close_at__gte=models.F("uploads_close_at")),
                name="photo_contest_windows_order",
            )
        ]

    def __str__(self) -> str:
        return self.title


class PhotoStatus(models.TextChoices):
    PENDING = "pending", _("awaiting moderation")
    PUBLISHED = "published", _("published")
    REJECTED = "rejected", _("rejected")


class ContestPhoto(models.Model):
    """A resident's entry, stored under MEDIA_ROOT (re-encoded without metadata), served by a view
    that checks its visibility. The public sees the author's district, never the author."""

    contest = models.ForeignKey(
        PhotoContest, on_delete=models.CASCADE, related_name="photos", verbose_name=_("photo contest")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("author")
    )
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("district"),
    )
    title = ContentCharField(_("title"), max_length=120, blank=True)
    file = models.FileField(_("file"), upload_to="contests/%Y/%m/", max_length=200)
    content_type = models.CharField(_("content type"), max_length=40)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    size = models.PositiveIntegerField(_("size in bytes"))
    status = models.CharField(
        _("status"), max_length=16, choices=PhotoStatus.choices, default=PhotoStatus.PENDING
    )
    reject_reason = models.CharField(_("reason for rejection"), max_length=255, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("moderated by"),
    )
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    is_winner = models.BooleanField(_("winner"), default=False)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("contest photo")
        verbose_name_plural = _("contest photos")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["contest", "status"], name="contest_photo_status")]

    def __str__(self) -> str:
        return self.title or f"#{self.pk}"


class PhotoVote(models.Model):
    """One vote per photo per resident (a resident may vote for several photos of a contest)."""

    contest = models.ForeignKey(PhotoContest, on_delete=models.CASCADE, related_name="+")
    photo = models.ForeignKey(ContestPhoto, on_delete=models.CASCADE, related_name="votes")
    resident = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("photo vote")
        verbose_name_plural = _("photo votes")
        constraints = [models.UniqueConstraint(fields=["photo", "resident"], name="photo_vote_once")]
