"""Reads for quizzes and quests, in a bounded number of queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from gorod.accounts.models import AccountLevel, Resident
from gorod.voting.quizzes import errors
from gorod.voting.quizzes.models import (
    Quiz,
    QuizAttempt,
    QuizOption,
    QuizQuestion,
    QuizStatus,
)
from gorod.voting.quizzes.rules import QuestionOutcome, QuizResult
from gorod.voting.targeting import Targeting, area_ok, level_ok


def with_questions(quizzes: QuerySet[Quiz]) -> QuerySet[Quiz]:
    return quizzes.prefetch_related(
        Prefetch(
            "questions",
            queryset=QuizQuestion.objects.prefetch_related(
                Prefetch("options", queryset=QuizOption.objects.all())
            ),
        )
    )


def quizzes_for(resident: Any, quizzes: QuerySet[Quiz]) -> QuerySet[Quiz]:
    """Narrow to quizzes whose targeting includes the resident (level and area), in one query."""
    if not getattr(resident, "is_authenticated", False):
        return quizzes.filter(min_level=AccountLevel.SIMPLIFIED).exclude(
            Exists(Quiz.target_okrugs.through.objects.filter(quiz_id=OuterRef("pk")))
            | Exists(Quiz.target_districts.through.objects.filter(quiz_id=OuterRef("pk")))
        )
    allowed_levels = [
        lv for lv in AccountLevel.values if AccountLevel.rank(lv) <= AccountLevel.rank(resident.level)
    ]
    has_area = Exists(Quiz.target_okrugs.through.objects.filter(quiz_id=OuterRef("pk"))) | Exists(
        Quiz.target_districts.through.objects.filter(quiz_id=OuterRef("pk"))
    )
    district = resident.home_district
    if district is None:
        area = ~has_area
    else:
        area = (
            ~has_area
            | Exists(
                Quiz.target_districts.through.objects.filter(quiz_id=OuterRef("pk"), district_id=district.pk)
            )
            | Exists(
                Quiz.target_okrugs.through.objects.filter(quiz_id=OuterRef("pk"), okrug_id=district.okrug_id)
            )
        )
    return quizzes.filter(area, min_level__in=allowed_levels)


def open_quizzes_for(resident: Any, now: dt.datetime | None = None) -> QuerySet[Quiz]:
    now = now or timezone.now()
    quizzes = Quiz.objects.filter(status=QuizStatus.PUBLISHED, opens_at__lte=now, closes_at__gt=now)
    return quizzes_for(resident, quizzes).order_by("closes_at", "pk")


def taken_quiz_ids(resident: Any, quiz_ids: list[int]) -> set[int]:
    if not getattr(resident, "is_authenticated", False):
        return set()
    return set(
        QuizAttempt.objects.filter(resident=resident, quiz_id__in=quiz_ids).values_list("quiz_id", flat=True)
    )


def quiz_get(quiz_id: int) -> Quiz:
    """A published quiz (open, upcoming or closed) with questions and options."""
    quiz = with_questions(Quiz.objects.filter(pk=quiz_id, status=QuizStatus.PUBLISHED)).first()
    if quiz is None:
        raise errors.QuizNotFound(quiz_id=quiz_id)
    return quiz


def attempt_of(resident: Any, quiz: Quiz) -> QuizAttempt | None:
    if not getattr(resident, "is_authenticated", False):
        return None
    return QuizAttempt.objects.filter(quiz=quiz, resident=resident).first()


def result_of(quiz: Quiz, attempt: QuizAttempt) -> QuizResult:
    """The stored attempt against the quiz's (prefetched) correct answers."""
    outcomes = []
    for question in quiz.questions.all():
        outcomes.append(
            QuestionOutcome(
                question_id=question.pk,
                chosen=tuple(sorted(attempt.chosen.get(str(question.pk), []))),
                correct_ids=tuple(sorted(o.pk for o in question.options.all() if o.is_correct)),
            )
        )
    return QuizResult(
        quiz_id=quiz.pk,
        correct=attempt.correct,
        total=attempt.total,
        points=attempt.points,
        questions=outcomes,
    )


def check_complete(quiz: Quiz) -> None:
    """What the console lets an operator enter is checked again before residents see it."""
    questions = list(quiz.questions.prefetch_related("options"))
    if not questions:
        raise errors.QuizIncomplete(field="questions")
    for question in questions:
        options = list(question.options.all())
        if len(options) < 2 or not any(o.is_correct for o in options):
            raise errors.QuizIncomplete(field="questions", question=question.text)


def quiz_targeting(quiz: Quiz) -> Targeting:
    return Targeting.of(
        okrug_ids=[o.pk for o in quiz.target_okrugs.all()],
        district_ids=[d.pk for d in quiz.target_districts.all()],
        min_level=quiz.min_level,
    )


def check_can_take(quiz: Quiz, resident: Resident, now: dt.datetime) -> None:
    if now < quiz.opens_at:
        raise errors.QuizNotOpenYet(quiz_id=quiz.pk)
    if now >= quiz.closes_at:
        raise errors.QuizClosed(quiz_id=quiz.pk)
    spec = quiz_targeting(quiz)
    if not level_ok(resident, spec.min_level):
        raise errors.QuizLevelTooLow(required=spec.min_level)
    if not area_ok(resident, spec):
        raise errors.QuizNotForYou(quiz_id=quiz.pk)


def grade(quiz: Quiz, answers: Mapping[int, Sequence[int]]) -> list[QuestionOutcome]:
    """Every question answered with options of that question only; the outcome per question."""
    questions = list(quiz.questions.prefetch_related("options"))
    known = {q.pk for q in questions}
    for question_id in answers:
        if question_id not in known:
            raise errors.QuizOptionInvalid(field=f"q{question_id}", question_id=question_id)
    outcomes = []
    for question in questions:
        chosen = tuple(dict.fromkeys(answers.get(question.pk, ())))
        if not chosen:
            raise errors.QuizQuestionUnanswered(field=f"q{question.pk}", question_id=question.pk)
        options = list(question.options.all())
        valid = {o.pk for o in options}
        if any(option_id not in valid for option_id in chosen):
            raise errors.QuizOptionInvalid(field=f"q{question.pk}", question_id=question.pk)
        outcomes.append(
            QuestionOutcome(
                question_id=question.pk,
                chosen=tuple(sorted(chosen)),
                correct_ids=tuple(sorted(o.pk for o in options if o.is_correct)),
            )
        )
    return outcomes
