"""Mission City: challenges, who joined them, and the evidence of their progress."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gorod.accounts.models import AccountLevel, District
from gorod.core.content import ContentCharField, ContentTextField
from gorod.core.images import ImageUploadField


class GoalKind(models.TextChoices):
    STEPS = "steps", _("a number of steps")
    QUANTITY = "quantity", _("a measured quantity")


class ProofMethod(models.TextChoices):
    OPERATOR = "operator", _("entered and confirmed by an operator")
    CSV = "csv", _("imported from a partner's file")
    PARTNER_CODE = "partner_code", _("confirmed by partner staff with the resident's code")


class Challenge(models.Model):
    """A city challenge. Points come from the mission_city earning rule named by ``action``,
    whose cap applies per resident per challenge ("up to 15,000 points")."""

    title = ContentCharField(_("title"), max_length=160)
    description = ContentTextField(_("description"), blank=True)
    # The card's cover on the challenge list, as polls, news and rewards have (issue 23); the
    # console's upload goes through the one image policy (re-encoded, metadata stripped).
    image = ImageUploadField(_("image"), upload_to="missions/", blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    min_level = models.CharField(
        _("lowest account level"), max_length=16, choices=AccountLevel.choices, default=AccountLevel.STANDARD
    )
    districts = models.ManyToManyField(
        District,
        blank=True,
        related_name="+",
        verbose_name=_("districts"),
        help_text=_("Empty for the whole city."),
    )
    goal_kind = models.CharField(_("goal"), max_length=10, choices=GoalKind.choices, default=GoalKind.STEPS)
    goal_amount = models.PositiveIntegerField(_("goal amount"))
    unit = ContentCharField(_("unit"), max_length=40, help_text=_("e.g. norms, books, km"))
    proof_method = models.CharField(_("how progress is proven"), max_length=16, choices=ProofMethod.choices)
    action = models.SlugField(
        _("earning rule"), max_length=60, help_text=_("The Mission City earning rule, e.g. sport_norms.")
    )
    points_per_unit = models.PositiveIntegerField(_("points per step or unit"))
    # Partner staff are scoped to the challenges their partner runs: staff of one partner must
    # not import files or confirm codes for another partner's challenge (issue 9).
    confirmers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        verbose_name=_("partner staff who confirm progress"),
        help_text=_("Only these partner staff may import files or confirm codes for this challenge."),
        limit_choices_to={"groups__name": "partner_staff"},
    )
    leaderboard = models.BooleanField(_("leaderboard"), default=True)
    published = models.BooleanField(_("published"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="challenge_period_ordered"),
            models.CheckConstraint(condition=Q(goal_amount__gt=0), name="challenge_goal_positive"),
        ]

    def __str__(self) -> str:
        return self.title


class Participation(models.Model):
    """A resident in a challenge. Leaving keeps the row (and the points); rejoining reuses it."""

    challenge = models.ForeignKey(
        Challenge, on_delete=models.CASCADE, related_name="participations", verbose_name=_("challenge")
    )
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("resident")
    )
    code = models.CharField(_("mission code"), max_length=12, unique=True)
    joined_at = models.DateTimeField(_("joined at"))
    left_at = models.DateTimeField(_("left at"), null=True, blank=True)
    show_on_leaderboard = models.BooleanField(_("show my name on the leaderboard"), default=False)
    # Materialised totals, moved only together with the evidence row that explains them.
    progress = models.PositiveIntegerField(pgettext_lazy("challenge", "progress"), default=0)
    points_earned = models.PositiveIntegerField(_("points earned"), default=0)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(fields=["challenge", "resident"], name="participation_once_per_challenge")
        ]
        indexes = [models.Index(fields=["challenge", "-progress"], name="participation_board")]

    def __str__(self) -> str:
        return f"{self.challenge_id}:{self.resident_id}"

    @property
    def is_active(self) -> bool:
        return self.left_at is None


class Evidence(models.Model):
    """One proven item of progress (a norm passed, a book read, a run). Unique per key, so a
    re-imported file or a repeated confirmation adds nothing twice."""

    participation = models.ForeignKey(
        Participation, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("participation")
    )
    key = models.CharField(_("evidence reference"), max_length=64)
    quantity = models.PositiveIntegerField(_("quantity"))
    source = models.CharField(_("source"), max_length=16, choices=ProofMethod.choices)
    points = models.PositiveIntegerField(_("points granted"), default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        # English has one word for both; Russian counts them (подтверждения)
        verbose_name_plural = pgettext_lazy("plural", "evidence")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["participation", "key"], name="evidence_once_per_key"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="evidence_quantity_positive"),
        ]

    def __str__(self) -> str:
        return self.key
