"""City of Ideas: crowdsourcing projects, residents' ideas, supports, comments, expert review."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from gorod.accounts.models import District
from gorod.core.content import ContentCharField, ContentTextField


class Stage(models.TextChoices):
    COLLECTING = "collecting", _("collecting ideas")
    REVIEW = "review", _("expert review")
    RESULTS = "results", _("results")


STAGE_ORDER = [Stage.COLLECTING, Stage.REVIEW, Stage.RESULTS]


class Project(models.Model):
    title = ContentCharField(_("title"), max_length=200)
    topic = ContentCharField(_("topic"), max_length=120)
    description = ContentTextField(_("description"))
    districts = models.ManyToManyField(
        District,
        blank=True,
        related_name="+",
        verbose_name=_("districts"),
        help_text=_("Empty for the whole city."),
    )
    organisation = ContentCharField(
        _("responsible organisation"), max_length=200, help_text=_("Who carries out accepted ideas.")
    )
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, default=Stage.COLLECTING)
    published = models.BooleanField(_("published"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("crowdsourcing project")
        verbose_name_plural = _("crowdsourcing projects")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class IdeaStatus(models.TextChoices):
    PENDING = "pending", _("awaiting moderation")
    PUBLISHED = "published", _("published")
    REJECTED = "rejected", _("rejected by the moderator")
    ACCEPTED = "accepted", _("accepted")
    MERGED = "merged", _("merged with another idea")
    DECLINED = "declined", _("declined")


DECIDED = [IdeaStatus.ACCEPTED, IdeaStatus.MERGED, IdeaStatus.DECLINED]


class Idea(models.Model):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="ideas", verbose_name=_("crowdsourcing project")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("author")
    )
    title = ContentCharField(_("title"), max_length=200)
    text = ContentTextField(_("idea"), max_length=4000)
    status = models.CharField(
        _("status"), max_length=10, choices=IdeaStatus.choices, default=IdeaStatus.PENDING
    )
    moderation_reason = models.CharField(_("moderator's reason"), max_length=255, blank=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_ideas",
        verbose_name=_("merged into"),
    )
    decision_reason = ContentTextField(_("experts' reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decision made by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    city_decision_id = models.PositiveIntegerField(
        _("decision on the Active Citizen map"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="merged", merged_into__isnull=False)
                | (~Q(status="merged") & Q(merged_into__isnull=True)),
                name="idea_merged_has_target",
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("pk")), name="idea_not_merged_into_itself"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Support(models.Model):
    """One support per resident and idea, enforced by the database."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="supports")
    resident = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [models.UniqueConstraint(fields=["idea", "resident"], name="support_once_per_resident")]


class Comment(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments", verbose_name=_("idea"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("author")
    )
    text = ContentTextField(_("comment"), max_length=2000)
    hidden = models.BooleanField(_("hidden by a moderator"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return Truncator(self.text).chars(80)
