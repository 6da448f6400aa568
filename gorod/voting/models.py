"""Active Citizen tables: polls, their questions and options, participations, secret ballots,
and the decisions the city records after a poll.

Ballot secrecy (DESIGN.md section 6, ADR 0003): ``Participation`` says *who* took part,
``Ballot`` says *what* was chosen, ``BallotReceipt`` that a receipt was issued. A vote writes
its participation and a sealed ``PendingBallot`` (encrypted, padded); the mix
(``gorod.voting.mix``) later opens pending ballots in shuffled batches of at least 10 and writes
ballots and receipts, each batch in its own random order, with no time and no shared key, so
neither system columns, row order, ids nor times link a resident, a receipt and a choice.

Django loads an app's tables from ``<app>.models`` only, so this module also imports the
sub-domains' model modules (``SUB_DOMAIN_MODELS``). Those never import this one (they name the
poll as ``"voting.Poll"``), so there is no cycle; import their models from their own modules.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from gorod.accounts.models import AccountLevel, District, Okrug
from gorod.core.content import ContentCharField, ContentTextField
from gorod.core.images import ImageUploadField
from gorod.voting.budgets import models as budgets_models
from gorod.voting.budgets.models import BudgetRule
from gorod.voting.contests import models as contests_models
from gorod.voting.custody import models as custody_models
from gorod.voting.discussions import models as discussions_models
from gorod.voting.quests import models as quests_models
from gorod.voting.quizzes import models as quizzes_models
from gorod.voting.ratings import models as ratings_models

# Every table of the app is defined once Django has imported this module (app_label "voting").
SUB_DOMAIN_MODELS = (
    budgets_models,
    contests_models,
    custody_models,
    discussions_models,
    quests_models,
    quizzes_models,
    ratings_models,
)


class PollStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SCHEDULED = "scheduled", _("scheduled")
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")
    PUBLISHED = "published", _("results published")
    ARCHIVED = "archived", _("archived")


class PollKind(models.TextChoices):
    CITY_VOTE = "city_vote", _("city vote")
    NEIGHBOUR_SURVEY = "neighbour_survey", _("neighbour survey")


class Poll(models.Model):
    """A vote. Targeting: okrugs/districts (any of), buildings (any of), minimum level; none = city."""

    kind = models.CharField(_("kind"), max_length=24, choices=PollKind.choices, default=PollKind.CITY_VOTE)
    title = ContentCharField(_("title"), max_length=200)
    description = ContentTextField(_("description"), blank=True)
    image = ImageUploadField(_("image"), upload_to="polls/", blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=PollStatus.choices, default=PollStatus.DRAFT, db_index=True
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    live_results = models.BooleanField(_("live results"), default=False)
    binding = models.BooleanField(_("binding"), default=True)
    reward_programme = models.CharField(_("reward programme"), max_length=32, default="active_citizen")
    reward_action = models.CharField(
        _("reward action"), max_length=64, default="vote", blank=True, help_text=_("Empty: no points.")
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
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    ballot_count = models.PositiveIntegerField(_("ballots"), null=True, blank=True)
    merkle_root = models.CharField(_("Merkle root"), max_length=64, blank=True)
    # merkle_root = node(receipts_root, ballots_root); the receipts' tree is stored as a file
    receipts_root = models.CharField(_("receipts root"), max_length=64, blank=True)
    ballots_root = models.CharField(_("ballots root"), max_length=64, blank=True)
    results = models.JSONField(_("results"), null=True, blank=True)

    class Meta:
        verbose_name = _("poll")
        verbose_name_plural = _("polls")
        ordering = ["-opens_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="poll_window_positive"
            )
        ]

    def __str__(self) -> str:
        return self.title


class PollBuilding(models.Model):
    """A building a poll targets, by id only, so voting needs no housing models."""

    poll = models.ForeignKey(
        Poll, on_delete=models.CASCADE, related_name="target_buildings", verbose_name=_("poll")
    )
    building_id = models.PositiveBigIntegerField(_("building id"))

    class Meta:
        verbose_name = _("target building")
        verbose_name_plural = _("target buildings")
        constraints = [models.UniqueConstraint(fields=["poll", "building_id"], name="poll_building_unique")]
        indexes = [models.Index(fields=["building_id"])]

    def __str__(self) -> str:
        return f"#{self.building_id}"


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("single choice")
    MULTIPLE = "multiple", _("multiple choice")


class Question(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="questions", verbose_name=_("poll"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = ContentCharField(_("question"), max_length=300)
    kind = models.CharField(
        _("kind"), max_length=16, choices=QuestionKind.choices, default=QuestionKind.SINGLE
    )
    max_choices = models.PositiveSmallIntegerField(_("maximum choices"), default=1)
    allow_other = models.BooleanField(_("allow 'other' text"), default=False)
    # A budget question (participatory budgeting): its options are projects with a cost, and a
    # ballot is limited by ``budget_rule`` (rules.check_budget). Empty for every other question.
    budget_roubles = models.PositiveBigIntegerField(_("budget, roubles"), null=True, blank=True)
    budget_rule = models.CharField(_("budget rule"), max_length=16, choices=BudgetRule.choices, blank=True)
    budget_rule_count = models.PositiveSmallIntegerField(_("number of projects in the rule"), default=0)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class Option(models.Model):
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="options", verbose_name=_("question")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = ContentCharField(_("option"), max_length=300)
    cost_roubles = models.PositiveBigIntegerField(_("cost, roubles"), null=True, blank=True)

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class Participation(models.Model):
    """That a resident took part in a poll (never how). Unique per poll and resident."""

    # no index of its own: participation_once_per_poll (poll, resident) serves every lookup by poll,
    # and each ballot wrote one index entry more for nothing
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="participations", db_index=False)
    resident = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    voted_on = models.DateField(_("voted on"))

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(fields=["poll", "resident"], name="participation_once_per_poll")
        ]


def new_ballot_id() -> uuid.UUID:
    return uuid.uuid4()


class PendingBallot(models.Model):
    """A ballot waiting for the mix: encrypted and padded (``seal.py``), so that its row, which
    shares the vote's transaction and arrival order, says nothing without the seal key."""

    id = models.UUIDField(primary_key=True, default=new_ballot_id, editable=False)
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="+")
    sealed = models.BinaryField()

    class Meta:
        verbose_name = _("pending ballot")
        verbose_name_plural = _("pending ballots")


class Ballot(models.Model):
    """A secret ballot, written by the mix: random id, no time, no resident, no receipt.
    ``choices`` is canonical text; ``district`` is kept only when at least 10 ballots of that
    district were mixed together (else empty: "other districts")."""

    id = models.UUIDField(primary_key=True, default=new_ballot_id, editable=False)
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="ballots")
    choices = models.TextField()
    # SHA-256(0x00 || "ballot|<choices>"), computed by the mix so the close only sorts leaves.
    leaf = models.BinaryField(max_length=32)
    district = models.ForeignKey(District, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")


class BallotReceipt(models.Model):
    """That a receipt was issued and its ballot counted; which ballot is not recorded anywhere."""

    id = models.UUIDField(primary_key=True, default=new_ballot_id, editable=False)
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="receipts")
    receipt_hash = models.CharField(max_length=64, unique=True)
    # SHA-256(0x00 || "receipt|<receipt hash>")
    leaf = models.BinaryField(max_length=32)

    class Meta:
        verbose_name = _("ballot receipt")
        verbose_name_plural = _("ballot receipts")


class BallotChoice(models.Model):
    """One chosen option (or 'other') of a ballot, for the grouped tally."""

    id = models.UUIDField(primary_key=True, default=new_ballot_id, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="picks")
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    option = models.ForeignKey(Option, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    district = models.ForeignKey(District, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["poll", "question", "option", "district"])]


class ModerationStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")


class OtherAnswer(models.Model):
    """Free text given under 'other'; shown only after moderation, never linked to a ballot."""

    id = models.UUIDField(_("ID"), primary_key=True, default=new_ballot_id, editable=False)
    poll = models.ForeignKey(
        Poll, on_delete=models.CASCADE, related_name="other_answers", verbose_name=_("poll")
    )
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="other_answers", verbose_name=_("question")
    )
    text = ContentCharField(_("text"), max_length=500)
    status = models.CharField(
        _("status"), max_length=16, choices=ModerationStatus.choices, default=ModerationStatus.PENDING
    )
    reason = models.CharField(_("reason"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("'other' answer")
        verbose_name_plural = _("'other' answers")

    def __str__(self) -> str:
        return Truncator(self.text).chars(80)


class DecisionStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    CANCELLED = "cancelled", _("cancelled")


class Decision(models.Model):
    """What the city promised after a poll, where, and how far it has got."""

    poll = models.ForeignKey(
        Poll,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("poll"),
    )
    title = ContentCharField(_("decision"), max_length=200)
    description = ContentTextField(_("description"), blank=True)
    organisation = ContentCharField(_("responsible organisation"), max_length=200)
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    location = models.JSONField(_("location (GeoJSON geometry)"), null=True, blank=True)
    planned_on = models.DateField(_("planned for"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=DecisionStatus.choices,
        default=DecisionStatus.PLANNED,
        db_index=True,
    )
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=255, blank=True)
    photo = ImageUploadField(_("photo"), upload_to="decisions/", blank=True)
    # How far the work has got, in whole per cent: changed only by decisions.services, which
    # keeps its history (DecisionProgress); a done decision is at 100.
    progress_percent = models.PositiveSmallIntegerField(_("progress, per cent"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress_percent__lte=100), name="voting_decision_progress_at_most_100"
            )
        ]

    def __str__(self) -> str:
        return self.title


class DecisionProgress(models.Model):
    """One change of a decision's progress: to what, by whom, when, and what was done."""

    decision = models.ForeignKey(
        Decision, on_delete=models.CASCADE, related_name="progress_history", verbose_name=_("decision")
    )
    percent = models.PositiveSmallIntegerField(_("progress, per cent"))
    note = ContentCharField(_("what was done"), max_length=255, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"))

    class Meta:
        verbose_name = _("progress change")
        verbose_name_plural = _("progress history")
        ordering = ["changed_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__lte=100), name="voting_decision_progress_percent_le_100"
            )
        ]

    def __str__(self) -> str:
        return f"{self.percent}%"
