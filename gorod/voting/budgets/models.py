"""Budget rounds and their projects (the ballot itself is a poll's, see ``__init__``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gorod.accounts.models import AccountLevel, Address, District
from gorod.core.content import ContentCharField, ContentTextField
from gorod.core.images import ImageUploadField


class BudgetRule(models.TextChoices):
    """How a budget question's ballot is limited (rules.check_budget)."""

    WITHIN_BUDGET = "within_budget", _("any projects whose total cost fits the budget")
    MIN_PROJECTS = "min_projects", _("at least a set number of projects, within the budget")
    FIXED_COUNT = "fixed_count", _("exactly a set number of projects, whatever they cost")


class BudgetPhase(models.TextChoices):
    PROPOSALS = "proposals", _("proposals")
    REVIEW = "review", _("review by experts")
    VOTING = "voting", _("voting")
    RESULTS = "results", _("results")
    IMPLEMENTATION = "implementation", _("implementation")


class BudgetRound(models.Model):
    """A sum of money a district (or the whole city) decides how to spend."""

    title = ContentCharField(_("title"), max_length=200)
    description = ContentTextField(_("description"), blank=True)
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
        help_text=_("Empty: the whole city."),
    )
    budget_roubles = models.PositiveBigIntegerField(_("budget, roubles"))
    rule = models.CharField(
        _("ballot rule"),
        max_length=16,
        choices=BudgetRule.choices,
        default=BudgetRule.WITHIN_BUDGET,
    )
    rule_count = models.PositiveSmallIntegerField(_("number of projects in the rule"), default=0)
    min_level = models.CharField(
        _("minimum account level"),
        max_length=16,
        choices=AccountLevel.choices,
        default=AccountLevel.SIMPLIFIED,
    )
    phase = models.CharField(
        _("phase"), max_length=16, choices=BudgetPhase.choices, default=BudgetPhase.PROPOSALS, db_index=True
    )
    voting_opens_at = models.DateTimeField(_("voting opens at"))
    voting_closes_at = models.DateTimeField(_("voting closes at"))
    poll = models.OneToOneField(
        "voting.Poll",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="budget_round",
        verbose_name=_("poll"),
    )
    # The funding as computed when results were published (rules.fund), kept as published.
    funding = models.JSONField(_("funding"), null=True, blank=True)
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
        verbose_name = _("budget round")
        verbose_name_plural = _("budget rounds")
        ordering = ["-voting_opens_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(voting_closes_at__gt=models.F("voting_opens_at")),
                name="budget_round_window_positive",
            )
        ]

    def __str__(self) -> str:
        return self.title


class BudgetRoundBuilding(models.Model):
    """A building a round is for, by id only (as ``voting.PollBuilding``): voting needs no housing
    models. Copied to the round's poll, whose targeting then checks every ballot."""

    round = models.ForeignKey(BudgetRound, on_delete=models.CASCADE, related_name="target_buildings")
    building_id = models.PositiveBigIntegerField(_("building id"))

    class Meta:
        verbose_name = _("target building")
        verbose_name_plural = _("target buildings")
        constraints = [
            models.UniqueConstraint(fields=["round", "building_id"], name="budget_round_building_unique")
        ]

    def __str__(self) -> str:
        return str(self.building_id)


class ProjectReview(models.TextChoices):
    PENDING = "pending", _("awaiting review")
    FEASIBLE = "feasible", _("feasible")
    REJECTED = "rejected", _("rejected")


class BudgetProject(models.Model):
    """A project residents may fund. A rejected project keeps its reason, in public."""

    round = models.ForeignKey(
        BudgetRound, on_delete=models.CASCADE, related_name="projects", verbose_name=_("budget round")
    )
    title = ContentCharField(_("title"), max_length=200)
    description = ContentTextField(_("description"), blank=True)
    cost_roubles = models.PositiveBigIntegerField(_("cost, roubles"))
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    # The place: an address of the city's register (its coordinates are the point), or a point
    # picked on the map (no address). Set by ``services.project_place_set``.
    address = models.ForeignKey(
        Address,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("address"),
    )
    location = models.JSONField(_("location (GeoJSON point)"), null=True, blank=True)
    image = ImageUploadField(_("image"), upload_to="budgets/", blank=True)
    # From City of Ideas, by id only: ideas sit above voting in the layers (ideas import voting).
    idea_id = models.PositiveBigIntegerField(_("idea"), null=True, blank=True, unique=True)
    review = models.CharField(
        _("review"),
        max_length=16,
        choices=ProjectReview.choices,
        default=ProjectReview.PENDING,
        db_index=True,
    )
    review_reason = ContentTextField(_("experts' conclusion"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    option = models.OneToOneField(
        "voting.Option",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="budget_project",
        verbose_name=_("option"),
    )
    decision = models.OneToOneField(
        "voting.Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="budget_project",
        verbose_name=_("decision"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("budget project")
        verbose_name_plural = _("budget projects")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title


class BudgetProjectImage(models.Model):
    """One image of a project's gallery (up to ``rules.MAX_PROJECT_IMAGES``), beside its cover
    (``BudgetProject.image``). Added and removed by ``services.project_image_add/remove``."""

    project = models.ForeignKey(BudgetProject, on_delete=models.CASCADE, related_name="images")
    image = ImageUploadField(_("image"), upload_to="budgets/")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("project image")
        verbose_name_plural = _("project images")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.image.name
