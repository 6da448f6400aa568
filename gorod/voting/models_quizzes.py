"""Quizzes (questions with correct answers, taken once) and quests (tasks done in order).

A quiz attempt, unlike a ballot, is not secret: the resident sees their own answers and score,
so the attempt row names the resident and is unique per quiz and resident (the database keeps
a concurrent double submission to one attempt).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gorod.accounts.models import AccountLevel, District, Okrug
from gorod.core.content import ContentCharField, ContentTextField


class QuizStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")


class Quiz(models.Model):
    """Targeting like a poll's: okrugs/districts (any of) and a minimum level; none = city."""

    title = ContentCharField(_("title"), max_length=200)
    description = ContentTextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=QuizStatus.choices, default=QuizStatus.DRAFT, db_index=True
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    reward_action = models.CharField(
        _("reward for taking part"),
        max_length=64,
        default="quiz",
        blank=True,
        help_text=_("Empty: no points."),
    )
    reward_correct = models.BooleanField(
        _("points per correct answer"),
        default=False,
        help_text=_("Also award the quiz_correct rule's amount for each correct answer."),
    )
    min_level = models.CharField(
        _("minimum account level"),
        max_length=16,
        choices=AccountLevel.choices,
        default=AccountLevel.SIMPLIFIED,
    )
    target_okrugs = models.ManyToManyField(
        Okrug, blank=True, related_name="+", verbose_name=_("target okrugs")
    )
    target_districts = models.ManyToManyField(
        District, blank=True, related_name="+", verbose_name=_("target districts")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")
        ordering = ["-opens_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="quiz_window_positive"
            )
        ]

    def __str__(self) -> str:
        return self.title


class QuizQuestion(models.Model):
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = ContentCharField(_("question"), max_length=300)
    explanation = ContentTextField(_("explanation (shown after submitting)"), blank=True)

    class Meta:
        verbose_name = _("quiz question")
        verbose_name_plural = _("quiz questions")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class QuizOption(models.Model):
    question = models.ForeignKey(QuizQuestion, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = ContentCharField(_("option"), max_length=300)
    is_correct = models.BooleanField(_("correct"), default=False)

    class Meta:
        verbose_name = _("quiz option")
        verbose_name_plural = _("quiz options")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class QuizAttempt(models.Model):
    """A resident's one attempt: what they chose (question id → option ids), score and points."""

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts")
    resident = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    chosen = models.JSONField(_("answers"), default=dict)
    correct = models.PositiveSmallIntegerField(_("correct answers"))
    total = models.PositiveSmallIntegerField(_("questions"))
    points = models.PositiveIntegerField(_("points"), default=0)
    created_at = models.DateTimeField(_("taken at"), auto_now_add=True)

    class Meta:
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        constraints = [models.UniqueConstraint(fields=["quiz", "resident"], name="quiz_attempt_once")]


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
    quest = models.ForeignKey(Quest, on_delete=models.CASCADE, related_name="tasks")
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
        Quiz, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("quiz")
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
