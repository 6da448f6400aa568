"""/api/v1/quizzes and /api/v1/quests (mounted by gorod/voting/api.py)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from gorod.voting.quests import services as services_quests
from gorod.voting.quizzes import errors, selectors
from gorod.voting.quizzes import services as services_quizzes
from gorod.voting.quizzes.models import Quest, QuestProgress, Quiz
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


class QuizAnswerIn(Schema):
    question_id: int
    option_ids: list[int] = Field(max_length=50)


class QuizAttemptIn(Schema):
    answers: list[QuizAnswerIn] = Field(max_length=100)


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


class QuestTaskOut(Schema):
    id: int
    position: int
    kind: str
    title: str
    poll_id: int | None
    quiz_id: int | None
    page_url: str
    done: bool


class QuestOut(Schema):
    id: int
    title: str
    description: str
    tasks_done: int
    total: int
    completed: bool
    points: int
    tasks: list[QuestTaskOut]


class QuestTaskIn(Schema):
    code: str = Field("", max_length=100)


class QuestStepOut(Schema):
    quest_id: int
    tasks_done: int
    total: int
    completed: bool
    points: int


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
        resident=request.user,  # type: ignore[arg-type]
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


def _quest_out(quest: Quest, progress: QuestProgress | None) -> QuestOut:
    done = progress.tasks_done if progress else 0
    tasks = list(quest.tasks.all())
    return QuestOut(
        id=quest.pk,
        title=quest.title,
        description=quest.description,
        tasks_done=done,
        total=len(tasks),
        completed=bool(progress and progress.completed_at),
        points=progress.points if progress else 0,
        tasks=[
            QuestTaskOut(
                id=t.pk,
                position=i + 1,
                kind=t.kind,
                title=t.title,
                poll_id=t.poll_id,
                quiz_id=t.quiz_id,
                page_url=t.page_url,
                done=i < done,
            )
            for i, t in enumerate(tasks)
        ],
    )


@router.get(
    "/quests",
    response=list[QuestOut],
    summary="Quests with my progress",
    operation_id="gorod_voting_api_quizzes_list_quests",
)
def list_quests(request: HttpRequest) -> list[QuestOut]:
    quests = list(selectors.published_quests()[:50])
    progress = selectors.progress_of(request.user, [q.pk for q in quests])
    return [_quest_out(q, progress.get(q.pk)) for q in quests]


@router.get(
    "/quests/{quest_id}",
    response=QuestOut,
    summary="A quest's tasks and my progress",
    operation_id="gorod_voting_api_quizzes_get_quest",
)
def get_quest(request: HttpRequest, quest_id: int) -> QuestOut:
    quest = selectors.quest_get(quest_id)
    return _quest_out(quest, selectors.progress_of(request.user, [quest.pk]).get(quest.pk))


@router.post(
    "/quests/{quest_id}/tasks/{task_id}",
    response={201: QuestStepOut},
    summary="Mark my next task done (code tasks need the page's code)",
    operation_id="gorod_voting_api_quizzes_post_task",
)
def post_task(request: HttpRequest, quest_id: int, task_id: int, body: QuestTaskIn) -> Status[QuestStepOut]:
    step = services_quests.quest_task_complete(
        quest_id=quest_id,
        task_id=task_id,
        resident=request.user,  # type: ignore[arg-type]
        code=body.code,
    )
    return Status(201, QuestStepOut(**step.__dict__))
