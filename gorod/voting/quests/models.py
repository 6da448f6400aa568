"""Quests: ordered tasks (vote in a poll, take a quiz, type a code shown on a page) and each
resident's progress through them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gorod.core.content import ContentCharField, ContentTextField


class Quest(models.Model):
    title = ContentCharField(_("title"), max_length=200)
    description = ContentTextField(_("description"), blank=True)
    published = models.BooleanField(_("published"), default=False)
    reward_action = models.CharField(
        _("reward when complete"),
        max_length=64,
        default="quest_complete",
        blank=True,
        help_text=_("Empty: no points."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("quest")
        verbose_name_plural = _("quests")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class QuestTaskKind(models.TextChoices):
    POLL = "poll", _("vote in a poll")
    QUIZ = "quiz", _("take a quiz")
    CODE = "code", _("visit a page and enter its code")


class QuestTask(models.Model):
    quest = models.ForeignKey(Quest, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("quest"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=8, choices=QuestTaskKind.choices)
    title = ContentCharField(_("task"), max_length=200)
    poll = models.ForeignKey(
        "voting.Poll",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("poll"),
    )
    quiz = models.ForeignKey(
        "voting.Quiz",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("quiz"),
    )
    page_url = models.CharField(_("page to visit"), max_length=300, blank=True)
    code = models.CharField(_("code shown on the page"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("quest task")
        verbose_name_plural = _("quest tasks")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="poll") & Q(poll__isnull=False) & Q(quiz__isnull=True))
                | (Q(kind="quiz") & Q(quiz__isnull=False) & Q(poll__isnull=True))
                | (Q(kind="code") & ~Q(code="") & Q(poll__isnull=True) & Q(quiz__isnull=True)),
                name="quest_task_kind_matches",
            )
        ]

    def __str__(self) -> str:
        return self.title


class QuestProgress(models.Model):
    """How many of a quest's tasks (in order) a resident has done; guarded updates keep order."""

    quest = models.ForeignKey(Quest, on_delete=models.CASCADE, related_name="progress")
    resident = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    tasks_done = models.PositiveSmallIntegerField(_("tasks done"), default=0)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    points = models.PositiveIntegerField(_("bonus points"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("quest progress")
        verbose_name_plural = _("quest progress")
        constraints = [models.UniqueConstraint(fields=["quest", "resident"], name="quest_progress_once")]
