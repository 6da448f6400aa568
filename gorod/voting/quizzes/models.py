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
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
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
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="questions", verbose_name=_("quiz"))
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
    question = models.ForeignKey(
        QuizQuestion, on_delete=models.CASCADE, related_name="options", verbose_name=_("question")
    )
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
