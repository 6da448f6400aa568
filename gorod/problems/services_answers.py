"""Writes of Our City, second half: organisations' answers, their moderation, and ratings."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from gorod.accounts import permissions as account_permissions
from gorod.accounts.models import Resident
from gorod.core import images
from gorod.core import time as city_time
from gorod.core.messages import Message
from gorod.points import services as points_services
from gorod.problems import notices, permissions, photos, rules
from gorod.problems.errors import (
    AlreadyRated,
    AnswerNotFound,
    NothingToRate,
    NotModerator,
    NotResponsible,
    NotYourReport,
    RatingWindowClosed,
    ReasonRequired,
    ReportNotFound,
    VerdictRequired,
)
from gorod.problems.models import Answer, Rating, Report, ReportStatus
from gorod.problems.selectors import deadline_for
from gorod.problems.services import PROGRAMME, transition

MIN_ANSWER_LENGTH = 10


def answer_submit(
    *, report_id: int, responder: Resident, text: str, photo_uploads: list[Any] | None = None
) -> Answer:
    """A responder of the report's organisation answers it; the answer goes to moderation."""
    clean_text = rules.clean_text(text, minimum=MIN_ANSWER_LENGTH)
    checked = photos.check_photos(list(photo_uploads or []), required=False)
    with images.kept_only_if_committed() as written, transaction.atomic(durable=True):
        report = Report.objects.select_for_update().filter(pk=report_id).first()
        if report is None:
            raise ReportNotFound()
        if not permissions.responds_for(responder, report.organisation_id):
            raise NotResponsible()
        rules.next_status(report.status, "answer")
        organisation_id = report.organisation_id
        assert organisation_id is not None  # a report in work is routed
        answer = Answer.objects.create(
            report=report,
            organisation_id=organisation_id,
            responder=responder,
            text=clean_text,
            round=report.reopen_count,
            in_time=not rules.is_overdue(report.deadline, city_time.city_today()),
        )
        transition(report, "answer", actor=responder)
        photos.attach(checked, report=report, answer=answer, written=written)
    return answer


def _locked_answer(answer_id: int) -> tuple[Answer, Report]:
    answer = Answer.objects.select_for_update().filter(pk=answer_id).first()
    if answer is None:
        raise AnswerNotFound()
    report = Report.objects.select_for_update().get(pk=answer.report_id)
    return answer, report


@transaction.atomic(durable=True)
def answer_approve(*, answer_id: int, moderator: Resident) -> Answer:
    """Publish the answer; the author's rating window starts now."""
    if not account_permissions.is_moderator(moderator):
        raise NotModerator()
    answer, report = _locked_answer(answer_id)
    if answer.status != Answer.Status.MODERATION:
        raise NothingToRate()
    now = timezone.now()
    transition(report, "approve_answer", actor=moderator, answered_at=now)
    Answer.objects.filter(pk=answer.pk).update(
        status=Answer.Status.APPROVED, moderated_by=moderator, moderated_at=now
    )
    answer.refresh_from_db()
    notices.answer_published(report, answer.pk)
    return answer


@transaction.atomic(durable=True)
def answer_return(*, answer_id: int, moderator: Resident, reason: str) -> Answer:
    """Send the answer back to the organisation; the deadline keeps running."""
    if not account_permissions.is_moderator(moderator):
        raise NotModerator()
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired(field="reason")
    answer, report = _locked_answer(answer_id)
    if answer.status != Answer.Status.MODERATION:
        raise NothingToRate()
    transition(report, "return_answer", actor=moderator, note=reason)
    Answer.objects.filter(pk=answer.pk).update(
        status=Answer.Status.RETURNED,
        return_reason=reason[:500],
        moderated_by=moderator,
        moderated_at=timezone.now(),
    )
    answer.refresh_from_db()
    return answer


@transaction.atomic(durable=True)
def rating_give(*, report_id: int, resident: Resident, score: int, verdict: str = "") -> Rating:
    """Rate the published answer. The author's verdict closes or reopens the report; neighbours
    and followers are heard once each but decide nothing."""
    rules.check_score(score)
    report = Report.objects.select_for_update().select_related("topic").filter(pk=report_id).first()
    if report is None or not permissions.is_public(report):
        raise ReportNotFound()
    is_author = report.author_id == resident.pk
    if report.status != ReportStatus.ANSWERED and not (
        not is_author and report.status == ReportStatus.CLOSED
    ):
        raise NothingToRate()
    answer = (
        Answer.objects.filter(report=report, status=Answer.Status.APPROVED)
        .order_by("-created_at", "-id")
        .first()
    )
    if answer is None:
        raise NothingToRate()
    if not is_author and not permissions.may_rate_as_neighbour(resident, report):
        raise NotYourReport()
    now = timezone.now()
    if not rules.rating_window_open(report.answered_at, now):
        raise RatingWindowClosed()
    if is_author and verdict not in {Rating.Verdict.CONFIRM, Rating.Verdict.REFUTE}:
        raise VerdictRequired(field="verdict")
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                report=report,
                answer=answer,
                resident=resident,
                is_author=is_author,
                score=score,
                verdict=verdict if is_author else "",
            )
    except IntegrityError:
        raise AlreadyRated() from None
    if is_author:
        if verdict == Rating.Verdict.CONFIRM:
            transition(report, "confirm", actor=resident, closed_at=now)
        elif report.reopen_count + 1 > rules.reopen_limit():
            transition(report, "refute_over_limit", actor=resident, reopen_count=report.reopen_count + 1)
        else:
            transition(
                report,
                "refute",
                actor=resident,
                reopen_count=report.reopen_count + 1,
                deadline=deadline_for(city_time.to_city(now).date(), report.topic.deadline_days),
                overdue=False,
                answered_at=None,
            )
            notices.routed_to_responders(report, round_key=f"reopened:{report.reopen_count}")
    points_services.award(
        resident=resident,
        programme=PROGRAMME,
        action="answer_rating",
        source_key=f"problems:rating:{answer.pk}:{resident.pk}",
        memo=Message(gettext_noop("Report #%(id)s"), id=report.pk),
    )
    return rating
