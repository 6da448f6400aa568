"""Writes for quests: a sequence of tasks (vote in a poll, take a quiz, enter a page's code) done
in order, with a bonus once the last one is done.

Order is kept by the database: ``QuestProgress.tasks_done`` moves from n to n+1 only with a
guarded update (``WHERE tasks_done = n``), so two submissions of the same step cannot both
count and no step can be skipped, whatever the interleaving.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gorod.accounts.models import Resident
from gorod.accounts.services import audit_record
from gorod.points import services as points_services
from gorod.voting.models import Participation, Poll
from gorod.voting.quests import errors
from gorod.voting.quests.models import Quest, QuestProgress, QuestTask, QuestTaskKind
from gorod.voting.quests.rules import normalise_code
from gorod.voting.quizzes.models import Quiz, QuizAttempt

PROGRAMME = "active_citizen"


@dataclass(frozen=True)
class QuestTaskSpec:
    kind: str
    title: str
    poll_id: int | None = None
    quiz_id: int | None = None
    page_url: str = ""
    code: str = ""


@dataclass(frozen=True)
class QuestStep:
    quest_id: int
    tasks_done: int
    total: int
    completed: bool
    points: int


def _check_task(spec: QuestTaskSpec) -> None:
    ok = bool(spec.title.strip()) and (
        (spec.kind == QuestTaskKind.POLL and spec.poll_id and not spec.quiz_id)
        or (spec.kind == QuestTaskKind.QUIZ and spec.quiz_id and not spec.poll_id)
        or (
            spec.kind == QuestTaskKind.CODE
            and normalise_code(spec.code)
            and not spec.poll_id
            and not spec.quiz_id
        )
    )
    if not ok:
        raise errors.QuestInvalid(field="tasks")
    if spec.poll_id and not Poll.objects.filter(pk=spec.poll_id).exists():
        raise errors.QuestInvalid(field="tasks")
    if spec.quiz_id and not Quiz.objects.filter(pk=spec.quiz_id).exists():
        raise errors.QuestInvalid(field="tasks")


@transaction.atomic
def quest_create(
    *,
    title: str,
    tasks: Sequence[QuestTaskSpec],
    description: str = "",
    published: bool = False,
    reward_action: str = "quest_complete",
    actor: Resident | None = None,
) -> Quest:
    if not tasks or not title.strip():
        raise errors.QuestInvalid(field="tasks")
    for spec in tasks:
        _check_task(spec)
    quest = Quest.objects.create(
        title=title.strip(), description=description.strip(), published=published, reward_action=reward_action
    )
    QuestTask.objects.bulk_create(
        QuestTask(
            quest=quest,
            position=i,
            kind=spec.kind,
            title=spec.title.strip(),
            poll_id=spec.poll_id,
            quiz_id=spec.quiz_id,
            page_url=spec.page_url,
            code=spec.code.strip(),
        )
        for i, spec in enumerate(tasks)
    )
    if actor is not None:
        audit_record(actor=actor, action="voting.quest_create", target=quest, after={"title": quest.title})
    return quest


def _check_done(task: QuestTask, resident: Resident, code: str) -> None:
    if task.kind == QuestTaskKind.POLL:
        if not Participation.objects.filter(poll_id=task.poll_id or 0, resident=resident).exists():
            raise errors.QuestTaskNotDone(what=_("vote in the poll first."), task_id=task.pk)
    elif task.kind == QuestTaskKind.QUIZ:
        if not QuizAttempt.objects.filter(quiz_id=task.quiz_id or 0, resident=resident).exists():
            raise errors.QuestTaskNotDone(what=_("take the quiz first."), task_id=task.pk)
    elif not normalise_code(code) or normalise_code(code) != normalise_code(task.code):
        raise errors.QuestCodeWrong(field="code", task_id=task.pk)


def _refuse_order(index: int, done: int, task: QuestTask) -> None:
    if index < done:
        raise errors.QuestTaskAlreadyDone(task_id=task.pk)
    if index > done:
        raise errors.QuestTaskOutOfOrder(task_id=task.pk, next_position=done + 1)


@transaction.atomic(durable=True)
def quest_task_complete(
    *, quest_id: int, task_id: int, resident: Resident, code: str = "", now: dt.datetime | None = None
) -> QuestStep:
    """Mark the resident's next task done; the last one completes the quest and awards its bonus.

    A task out of order, already done, not done (no vote, no quiz attempt) or a wrong code is
    refused and nothing is written.
    """
    now = now or timezone.now()
    quest = Quest.objects.filter(pk=quest_id, published=True).first()
    if quest is None:
        raise errors.QuestNotFound(quest_id=quest_id)
    tasks = list(quest.tasks.all())
    index = next((i for i, t in enumerate(tasks) if t.pk == task_id), None)
    if index is None:
        raise errors.QuestTaskNotFound(task_id=task_id)
    task = tasks[index]
    existing = QuestProgress.objects.filter(quest=quest, resident=resident).first()
    _refuse_order(index, existing.tasks_done if existing else 0, task)
    _check_done(task, resident, code)
    if existing is None:
        try:
            with transaction.atomic():
                existing = QuestProgress.objects.create(quest=quest, resident=resident)
        except IntegrityError:
            existing = QuestProgress.objects.get(quest=quest, resident=resident)
    moved = QuestProgress.objects.filter(pk=existing.pk, tasks_done=index).update(
        tasks_done=F("tasks_done") + 1, updated_at=now
    )
    if not moved:
        # Someone else (a second tab) moved the progress between our read and our update.
        current = QuestProgress.objects.get(pk=existing.pk).tasks_done
        _refuse_order(index, current, task)
        raise errors.QuestTaskAlreadyDone(task_id=task.pk)
    done = index + 1
    points = 0
    if done == len(tasks):
        if quest.reward_action:
            points = points_services.award(
                resident=resident,
                programme=PROGRAMME,
                action=quest.reward_action,
                source_key=f"quest:{quest.pk}:{resident.pk}",
                memo=quest.title[:200],
            ).amount
        QuestProgress.objects.filter(pk=existing.pk).update(completed_at=now, points=points)
    return QuestStep(
        quest_id=quest.pk, tasks_done=done, total=len(tasks), completed=done == len(tasks), points=points
    )
