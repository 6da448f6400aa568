"""/api/v1/quizzes and /api/v1/quests (mounted by gorod/voting/api.py)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from gorod.accounts.edge import resident_of
from gorod.voting.quizzes import errors, selectors
from gorod.voting.quizzes import services as services_quizzes
from gorod.voting.quizzes.models import Quiz
from gorod.voting.quizzes.rules import QuizResult

router = Router(tags=["active citizen"])


class QuizOptionOut(Schema):
    id: int
    text: str


class QuizQuestionOut(Schema):
    id: int
    text: str
    multiple: bool
    options: list[QuizOptionOut]


class QuizOut(Schema):
    id: int
    title: str
    description: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    reward_correct: bool
    taken: bool
    questions: list[QuizQuestionOut]


# A quiz has at least one question and an answer at least one option (quizzes.selectors.grade);
# which questions a quiz has is the quiz's, refused with 409 when one is left out.
class QuizAnswerIn(Schema):
    question_id: int
    option_ids: list[int] = Field(min_length=1, max_length=50)


class QuizAttemptIn(Schema):
    answers: list[QuizAnswerIn] = Field(min_length=1, max_length=100)


class QuestionOutcomeOut(Schema):
    question_id: int
    chosen: list[int]
    correct_option_ids: list[int]
    correct: bool
    explanation: str


class QuizResultOut(Schema):
    quiz_id: int
    correct: int
    total: int
    points: int
    questions: list[QuestionOutcomeOut]


def _quiz_out(quiz: Quiz, taken: bool) -> QuizOut:
    return QuizOut(
        id=quiz.pk,
        title=quiz.title,
        description=quiz.description,
        opens_at=quiz.opens_at,
        closes_at=quiz.closes_at,
        reward_correct=quiz.reward_correct,
        taken=taken,
        questions=[
            QuizQuestionOut(
                id=q.pk,
                text=q.text,
                multiple=sum(1 for o in q.options.all() if o.is_correct) > 1,
                options=[QuizOptionOut(id=o.pk, text=o.text) for o in q.options.all()],
            )
            for q in quiz.questions.all()
        ],
    )


def _result_out(quiz: Quiz, result: QuizResult) -> QuizResultOut:
    explanations = {q.pk: q.explanation for q in quiz.questions.all()}
    return QuizResultOut(
        quiz_id=result.quiz_id,
        correct=result.correct,
        total=result.total,
        points=result.points,
        questions=[
            QuestionOutcomeOut(
                question_id=o.question_id,
                chosen=list(o.chosen),
                correct_option_ids=list(o.correct_ids),
                correct=o.is_correct,
                explanation=explanations.get(o.question_id, ""),
            )
            for o in result.questions
        ],
    )


@router.get(
    "/quizzes",
    response=list[QuizOut],
    summary="Quizzes open for me",
    operation_id="gorod_voting_api_quizzes_list_quizzes",
)
def list_quizzes(request: HttpRequest) -> list[QuizOut]:
    quizzes = list(selectors.with_questions(selectors.open_quizzes_for(request.user))[:50])
    taken = selectors.taken_quiz_ids(request.user, [q.pk for q in quizzes])
    return [_quiz_out(q, q.pk in taken) for q in quizzes]


@router.get(
    "/quizzes/{quiz_id}",
    response=QuizOut,
    summary="A quiz with its questions (no answers)",
    operation_id="gorod_voting_api_quizzes_get_quiz",
)
def get_quiz(request: HttpRequest, quiz_id: int) -> QuizOut:
    quiz = selectors.quiz_get(quiz_id)
    return _quiz_out(quiz, selectors.attempt_of(request.user, quiz) is not None)


@router.post(
    "/quizzes/{quiz_id}/attempt",
    response={201: QuizResultOut},
    summary="Take the quiz once; returns my score, the correct answers and the points",
    operation_id="gorod_voting_api_quizzes_post_attempt",
)
def post_attempt(request: HttpRequest, quiz_id: int, body: QuizAttemptIn) -> Status[QuizResultOut]:
    answers: dict[int, list[int]] = {}
    for answer in body.answers:
        answers.setdefault(answer.question_id, []).extend(answer.option_ids)
    result = services_quizzes.quiz_take(
        quiz_id=quiz_id,
        resident=resident_of(request),
        answers=answers,
    )
    return Status(201, _result_out(selectors.quiz_get(quiz_id), result))


@router.get(
    "/quizzes/{quiz_id}/result",
    response=QuizResultOut,
    summary="My result in a quiz I took",
    operation_id="gorod_voting_api_quizzes_get_result",
)
def get_result(request: HttpRequest, quiz_id: int) -> QuizResultOut:
    quiz = selectors.quiz_get(quiz_id)
    attempt = selectors.attempt_of(request.user, quiz)
    if attempt is None:
        raise errors.QuizNotTaken(quiz_id=quiz_id)
    return _result_out(quiz, selectors.result_of(quiz, attempt))
