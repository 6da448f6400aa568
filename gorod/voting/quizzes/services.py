"""Writes for quizzes: create and publish (operators), take once (residents) with points for
taking part and, if the quiz says so, per correct answer. Quests are in ``services_quests``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from gorod.accounts.models import Resident
from gorod.accounts.services import audit_record
from gorod.points import rules as points_rules
from gorod.points import selectors as points_selectors
from gorod.points import services as points_services
from gorod.points.errors import UnknownEarningRule
from gorod.points.models import RuleVersion
from gorod.voting.quizzes import errors
from gorod.voting.quizzes.models import Quiz, QuizAttempt, QuizOption, QuizQuestion, QuizStatus
from gorod.voting.quizzes.rules import QuizResult
from gorod.voting.quizzes.selectors import check_can_take, check_complete, grade
from gorod.voting.targeting import Targeting

PROGRAMME = "active_citizen"
CORRECT_ACTION = "quiz_correct"


@dataclass(frozen=True)
class QuizQuestionSpec:
    text: str
    options: Sequence[tuple[str, bool]]  # (text, is correct)
    explanation: str = ""


def _check_questions(questions: Sequence[QuizQuestionSpec]) -> None:
    if not questions:
        raise errors.QuizIncomplete(field="questions")
    for spec in questions:
        texts = [t.strip() for t, _correct in spec.options if t.strip()]
        if not spec.text.strip() or len(texts) < 2 or len(set(texts)) != len(texts):
            raise errors.QuizIncomplete(field="questions")
        if len(texts) != len(spec.options) or not any(correct for _t, correct in spec.options):
            raise errors.QuizIncomplete(field="questions")


@transaction.atomic
def quiz_create(
    *,
    title: str,
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    questions: Sequence[QuizQuestionSpec],
    description: str = "",
    targeting: Targeting | None = None,
    reward_action: str = "quiz",
    reward_correct: bool = False,
    actor: Resident | None = None,
) -> Quiz:
    """A draft quiz with its questions; publish it to let residents take it in its window."""
    if closes_at <= opens_at:
        raise errors.QuizWindowInvalid(field="closes_at")
    _check_questions(questions)
    spec = targeting or Targeting()
    spec.validate()
    quiz = Quiz.objects.create(
        title=title.strip(),
        description=description.strip(),
        opens_at=opens_at,
        closes_at=closes_at,
        reward_action=reward_action,
        reward_correct=reward_correct,
        min_level=spec.min_level,
        created_by=actor,
    )
    quiz.target_okrugs.set(spec.okrug_ids)
    quiz.target_districts.set(spec.district_ids)
    for position, question_spec in enumerate(questions):
        question = QuizQuestion.objects.create(
            quiz=quiz,
            position=position,
            text=question_spec.text.strip(),
            explanation=question_spec.explanation,
        )
        QuizOption.objects.bulk_create(
            QuizOption(question=question, position=i, text=text.strip(), is_correct=correct)
            for i, (text, correct) in enumerate(question_spec.options)
        )
    if actor is not None:
        audit_record(actor=actor, action="voting.quiz_create", target=quiz, after={"title": quiz.title})
    return quiz


@transaction.atomic
def quiz_publish(*, quiz_id: int, actor: Resident | None = None) -> Quiz:
    quiz = Quiz.objects.select_for_update().filter(pk=quiz_id).first()
    if quiz is None:
        raise errors.QuizNotFound(quiz_id=quiz_id)
    if quiz.status != QuizStatus.DRAFT:
        raise errors.QuizNotEditable(quiz_id=quiz_id)
    if quiz.closes_at <= quiz.opens_at:
        raise errors.QuizWindowInvalid(field="closes_at")
    check_complete(quiz)
    quiz.status = QuizStatus.PUBLISHED
    quiz.save(update_fields=["status"])
    if actor is not None:
        audit_record(actor=actor, action="voting.quiz_publish", target=quiz, after={"status": quiz.status})
    return quiz


def _per_correct_amount(resident: Resident) -> int:
    """The quiz_correct rule's amount for the resident's level (its window and cap are the ledger's)."""
    try:
        version: RuleVersion = points_selectors.current_version(PROGRAMME, CORRECT_ACTION)
    except UnknownEarningRule:
        return 0
    terms = points_rules.terms_of(version)
    if terms.percent_basis_points is not None:
        return 0  # a per-answer rule is a fixed amount; a percentage has no base here
    return points_rules.requested_amount(terms, level=resident.level)


@transaction.atomic(durable=True)
def quiz_take(
    *,
    quiz_id: int,
    resident: Resident,
    answers: Mapping[int, Sequence[int]],
    now: dt.datetime | None = None,
) -> QuizResult:
    """Take a published quiz once, inside its window. Refusals write nothing and award nothing."""
    now = now or timezone.now()
    quiz = Quiz.objects.filter(pk=quiz_id, status=QuizStatus.PUBLISHED).first()
    if quiz is None:
        raise errors.QuizNotFound(quiz_id=quiz_id)
    check_can_take(quiz, resident, now)
    outcomes = grade(quiz, answers)
    correct = sum(1 for o in outcomes if o.is_correct)
    try:
        with transaction.atomic():
            attempt = QuizAttempt.objects.create(
                quiz=quiz,
                resident=resident,
                chosen={str(o.question_id): list(o.chosen) for o in outcomes},
                correct=correct,
                total=len(outcomes),
            )
    except IntegrityError:
        raise errors.QuizAlreadyTaken(quiz_id=quiz.pk) from None
    points = 0
    if quiz.reward_action:
        points += points_services.award(
            resident=resident,
            programme=PROGRAMME,
            action=quiz.reward_action,
            source_key=f"quiz:{quiz.pk}:{resident.pk}",
            memo=quiz.title[:200],
        ).amount
    if quiz.reward_correct and correct:
        per_answer = _per_correct_amount(resident)
        if per_answer > 0:
            points += points_services.award(
                resident=resident,
                programme=PROGRAMME,
                action=CORRECT_ACTION,
                source_key=f"quiz:{quiz.pk}:{resident.pk}:correct",
                amount=per_answer * correct,
                memo=quiz.title[:200],
            ).amount
    if points:
        QuizAttempt.objects.filter(pk=attempt.pk).update(points=points)
    return QuizResult(
        quiz_id=quiz.pk, correct=correct, total=len(outcomes), points=points, questions=outcomes
    )
