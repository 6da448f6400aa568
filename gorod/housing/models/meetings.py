"""Owners' general meetings with electronic voting: agenda, frozen register, ballots, protocol."""

from __future__ import annotations

from fractions import Fraction

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gorod.core.content import ContentCharField, ContentTextField
from gorod.housing.models.buildings import Building, Ownership, Premise


class Threshold(models.TextChoices):
    PARTICIPANTS = "participants", _("majority of the votes taking part")
    ALL_MAJORITY = "all_majority", _("more than half of all votes")
    TWO_THIRDS = "two_thirds", _("at least two thirds of all votes")
    UNANIMOUS = "unanimous", _("all owners (unanimously)")


class MeetingForm(models.TextChoices):
    """The forms of a general meeting the Housing Code allows (arts. 44.1, 47, 47.1)."""

    IN_PERSON = "in_person", _("in person")
    ABSENTEE = "absentee", _("absentee (written ballots)")
    MIXED = "mixed", _("in person and absentee")
    ELECTRONIC = "electronic", _("absentee, electronic voting on the platform (art. 47.1)")


class MeetingStatus(models.TextChoices):
    ANNOUNCED = "announced", _("announced")
    VOTING = "voting", _("voting")
    FINISHED = "finished", _("finished")


class Meeting(models.Model):
    building = models.ForeignKey(Building, on_delete=models.CASCADE, related_name="meetings")
    title = ContentCharField(_("title"), max_length=200)
    initiator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("initiator")
    )
    by_management = models.BooleanField(_("initiated by the management organisation"), default=False)
    form = models.CharField(
        _("form"), max_length=12, choices=MeetingForm.choices, default=MeetingForm.ELECTRONIC
    )
    notice_at = models.DateTimeField(_("notice published"))
    starts_at = models.DateTimeField(_("voting starts"))
    ends_at = models.DateTimeField(_("voting ends"))
    status = models.CharField(
        _("status"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.ANNOUNCED
    )
    # All votes of the building (total area of its premises), frozen with the register.
    total_numerator = models.BigIntegerField(null=True, blank=True)
    total_denominator = models.BigIntegerField(null=True, blank=True)
    register_frozen_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(null=True, blank=True)
    protocol = models.FileField(_("protocol"), upload_to="housing/protocols/", blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("owners' meeting")
        verbose_name_plural = _("owners' meetings")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(notice_at__lt=models.F("starts_at")) & Q(starts_at__lt=models.F("ends_at")),
                name="housing_meeting_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def total_votes(self) -> Fraction | None:
        if self.total_numerator is None or self.total_denominator is None:
            return None
        return Fraction(self.total_numerator, self.total_denominator)


class MeetingMaterial(models.Model):
    """A document for the owners to read before voting (art. 45 part 5: the notice names
    where the materials are)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="materials")
    title = ContentCharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="housing/meeting_materials/")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("meeting material")
        verbose_name_plural = _("meeting materials")
        ordering = ["meeting", "pk"]

    def __str__(self) -> str:
        return self.title


class AgendaQuestion(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    subject = ContentTextField(pgettext_lazy("agenda question", "subject"))
    threshold = models.CharField(_("decided by"), max_length=14, choices=Threshold.choices)

    class Meta:
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="housing_question_position"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.subject[:60]}"


class RegisterEntry(models.Model):
    """One vote-holder of the frozen register: a sole or shared owner's line, or one joint
    group (its holders vote once, together). Weight = premise area × share, exactly."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="register")
    premise = models.ForeignKey(Premise, on_delete=models.PROTECT, related_name="+")
    ownership = models.ForeignKey(Ownership, on_delete=models.PROTECT, related_name="+")
    owner_name = ContentCharField(max_length=400)
    weight_numerator = models.BigIntegerField()
    weight_denominator = models.BigIntegerField()

    class Meta:
        ordering = ["meeting", "premise__number", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "ownership"], name="housing_register_once"),
        ]

    @property
    def weight(self) -> Fraction:
        return Fraction(self.weight_numerator, self.weight_denominator)


class RegisterHolder(models.Model):
    """A resident who may vote for a register entry: an owner, or a proxy with a recorded power
    of attorney."""

    entry = models.ForeignKey(RegisterEntry, on_delete=models.CASCADE, related_name="holders")
    resident = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    is_proxy = models.BooleanField(default=False)
    power_of_attorney = models.CharField(_("power of attorney"), max_length=120, blank=True)
    document = models.FileField(_("power of attorney scan"), upload_to="housing/proxies/", blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry", "resident"], name="housing_holder_once"),
        ]
        indexes = [models.Index(fields=["resident", "entry"], name="housing_holder_resident")]


class Choice(models.TextChoices):
    FOR = "for", _("for")
    AGAINST = "against", _("against")
    ABSTAIN = "abstain", _("abstain")


class MeetingBallot(models.Model):
    """A register entry's vote on one question: once (unique), electronic or paper."""

    entry = models.ForeignKey(RegisterEntry, on_delete=models.CASCADE, related_name="ballots")
    question = models.ForeignKey(AgendaQuestion, on_delete=models.CASCADE, related_name="ballots")
    choice = models.CharField(max_length=8, choices=Choice.choices)
    cast_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    paper = models.BooleanField(default=False)
    scan = models.FileField(upload_to="housing/ballots/", blank=True)
    cast_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry", "question"], name="housing_ballot_once"),
        ]
