"""Our City: topics, responsible organisations, maintenance reports, answers and ratings.

The lifecycle of a report is in ``rules.py`` (a pure state machine); services move reports
through it with guarded UPDATEs, so two moderators cannot both act on the same state.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from gorod.accounts.models import Address, District
from gorod.core.content import ContentCharField, ContentTextField


class Season(models.TextChoices):
    ALL_YEAR = "all_year", _("all year")
    WINTER = "winter", _("winter")
    SUMMER = "summer", _("summer")


class TopicGroup(models.Model):
    """A group of topics as residents see them: my yard, my building, my road..."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = ContentCharField(_("name"), max_length=120)
    position = models.PositiveSmallIntegerField(_("position"), default=100)

    class Meta:
        verbose_name = _("topic group")
        verbose_name_plural = _("topic groups")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Topic(models.Model):
    group = models.ForeignKey(
        TopicGroup, on_delete=models.PROTECT, related_name="topics", verbose_name=_("group")
    )
    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = ContentCharField(_("name"), max_length=160)
    description = ContentTextField(_("description"), blank=True)
    season = models.CharField(_("season"), max_length=10, choices=Season.choices, default=Season.ALL_YEAR)
    photo_required = models.BooleanField(_("photo required"), default=True)
    deadline_days = models.PositiveSmallIntegerField(_("deadline in working days"), default=8)
    is_active = models.BooleanField(_("offered"), default=True)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["group__position", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(deadline_days__gte=1), name="topic_deadline_positive")
        ]

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    """A responsible organisation: it answers reports of its topics in its districts/buildings."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = ContentCharField(_("name"), max_length=200)
    topics = models.ManyToManyField(Topic, related_name="organisations", blank=True, verbose_name=_("topics"))
    districts = models.ManyToManyField(
        District, related_name="+", blank=True, verbose_name=_("districts covered")
    )
    buildings = models.ManyToManyField(
        Address, related_name="+", blank=True, verbose_name=_("buildings covered")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("responsible organisation")
        verbose_name_plural = _("responsible organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrganisationResponder(models.Model):
    """A member of an organisation's staff who answers its reports."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="responders", verbose_name=_("organisation")
    )
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("responder")
    )

    class Meta:
        verbose_name = _("organisation responder")
        verbose_name_plural = _("organisation responders")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "resident"], name="responder_unique_per_org")
        ]

    def __str__(self) -> str:
        return f"{self.resident} @ {self.organisation}"


class MovedDayKind(models.TextChoices):
    WORKING = "working", _("working day (moved from a weekend)")
    DAY_OFF = "day_off", _("day off (moved to a weekday)")


class MovedDay(models.Model):
    """A day the government moved, entered by an operator on top of the `holidays` calendar."""

    day = models.DateField(_("day"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=MovedDayKind.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("moved day")
        verbose_name_plural = _("moved days")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day} ({self.get_kind_display()})"


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    MODERATION = "moderation", _("in moderation")
    REJECTED = "rejected", _("rejected")
    IN_WORK = "in_work", _("accepted, in work")
    ANSWER_MODERATION = "answer_moderation", _("answer in moderation")
    ANSWERED = "answered", _("answered")
    CLOSED = "closed", _("closed")
    ESCALATED = "escalated", _("with an operator")


class ReportSource(models.TextChoices):
    SITE = "site", _("site")
    API = "api", _("app")
    OPEN311 = "open311", _("Open311 client")


class Report(models.Model):
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    topic = models.ForeignKey(
        Topic, on_delete=models.PROTECT, related_name="reports", verbose_name=_("topic")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("responsible organisation"),
    )
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    building = models.ForeignKey(
        Address, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("building")
    )
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    address_text = ContentCharField(_("address"), max_length=255, blank=True)
    text = ContentTextField(_("text"))
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.MODERATION
    )
    source = models.CharField(
        _("source"), max_length=10, choices=ReportSource.choices, default=ReportSource.SITE
    )
    reject_reason = models.CharField(_("reason for rejection"), max_length=500, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    overdue = models.BooleanField(_("overdue"), default=False)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    answered_at = models.DateTimeField(_("answer published at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("filed at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "topic"], name="report_status_topic"),
            models.Index(fields=["latitude", "longitude"], name="report_location"),
            models.Index(fields=["organisation", "status", "deadline"], name="report_org_queue"),
            models.Index(fields=["author", "created_at"], name="report_author_day"),
            # The public map lists newest first within one filter: (filter, id) indexes let the
            # database walk them backwards and stop at the limit instead of sorting.
            models.Index(fields=["district", "-id"], name="report_district_newest"),
            models.Index(fields=["topic", "-id"], name="report_topic_newest"),
            models.Index(fields=["status", "-id"], name="report_status_newest"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.topic}"


class Answer(models.Model):
    """An organisation's answer to one round of a report; a moderator approves or returns it."""

    class Status(models.TextChoices):
        MODERATION = "moderation", _("in moderation")
        APPROVED = "approved", _("approved")
        RETURNED = "returned", _("returned")

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="answers", verbose_name=_("report")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    responder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("answered by")
    )
    text = ContentTextField(_("answer"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.MODERATION)
    round = models.PositiveSmallIntegerField(_("round"), default=0)
    in_time = models.BooleanField(_("given in time"), default=True)
    return_reason = models.CharField(_("why it was returned"), max_length=500, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moderated by"),
    )
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    created_at = models.DateTimeField(_("given at"), default=timezone.now)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["status", "created_at"], name="answer_status")]

    def __str__(self) -> str:
        return Truncator(self.text).chars(80)


class Photo(models.Model):
    """A photo of a report (by its author) or of an answer (the result), EXIF stripped."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="photos")
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, null=True, blank=True, related_name="photos")
    file = models.FileField(_("file"), upload_to="problems/%Y/%m/", max_length=200)
    content_type = models.CharField(max_length=40)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField()
    taken_latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    taken_longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["id"]


class Follower(models.Model):
    """'Me too': a resident who has the same problem and follows the report."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="followers")
    resident = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("follower")
        verbose_name_plural = _("followers")
        constraints = [models.UniqueConstraint(fields=["report", "resident"], name="follower_once")]


class Rating(models.Model):
    """A rating of an approved answer: the author's decides confirm/refute, others are heard."""

    class Verdict(models.TextChoices):
        CONFIRM = "confirm", _("the problem is solved")
        REFUTE = "refute", _("the problem is not solved")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="ratings")
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="ratings")
    resident = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    is_author = models.BooleanField(default=False)
    score = models.PositiveSmallIntegerField(_("score"))
    verdict = models.CharField(_("verdict"), max_length=8, choices=Verdict.choices, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(fields=["answer", "resident"], name="rating_once_per_answer"),
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="rating_score_1_5"),
        ]


# What each step of a report's history is called on its page (the codes are the state
# machine's, gorod/problems/rules.py; the API keeps the codes).
REPORT_ACTIONS = {
    "submit": _("sent for moderation"),
    "reject": _("rejected by the moderator"),
    "accept": _("accepted"),
    "reroute": _("passed to another organisation"),
    "answer": _("answered by the organisation"),
    "approve_answer": _("answer approved"),
    "return_answer": _("answer returned for rework"),
    "confirm": _("confirmed by the author"),
    "refute": _("refuted by the author"),
    "refute_over_limit": _("refuted again: passed to an operator"),
    "window_expire": _("closed: the rating time is over"),
    "operator_close": _("closed by an operator"),
}


class ReportEvent(models.Model):
    """The report's history: every transition, who made it and why."""

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="events", verbose_name=_("report")
    )
    action = models.CharField(_("action"), max_length=30)
    from_status = models.CharField(_("previous status"), max_length=20, blank=True)
    to_status = models.CharField(_("new status"), max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    note = ContentCharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("report event")
        verbose_name_plural = _("report events")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.action_label()}: {self.to_status_label()}"

    def action_label(self) -> str:
        return str(REPORT_ACTIONS.get(self.action, self.action))

    def to_status_label(self) -> str:
        return (
            str(ReportStatus(self.to_status).label)
            if self.to_status in ReportStatus.values
            else self.to_status
        )
