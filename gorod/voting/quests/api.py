"""/api/v1/quests: schemas in, service call, schema out."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from gorod.accounts.edge import resident_of
from gorod.voting.quests import selectors
from gorod.voting.quests import services as services_quests
from gorod.voting.quests.models import Quest, QuestProgress

router = Router(tags=["active citizen"])


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
        resident=resident_of(request),
        code=body.code,
    )
    return Status(201, QuestStepOut(**step.__dict__))
