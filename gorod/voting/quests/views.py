"""Resident pages of quests: a quest with its tasks, completing a task (htmx, works without JS)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from gorod.accounts.edge import resident_of
from gorod.core.errors import DomainError
from gorod.voting.pages import is_htmx
from gorod.voting.quests import errors as quest_errors
from gorod.voting.quests import selectors as quest_selectors
from gorod.voting.quests import services as services_quests
from gorod.voting.quests.models import Quest, QuestProgress


def _quest_or_404(quest_id: int) -> Quest:
    try:
        return quest_selectors.quest_get(quest_id)
    except quest_errors.QuestNotFound:
        raise Http404 from None


def _quest_context(request: HttpRequest, quest: Quest, **extra: Any) -> dict[str, Any]:
    progress: QuestProgress | None = quest_selectors.progress_of(request.user, [quest.pk]).get(quest.pk)
    done = progress.tasks_done if progress else 0
    tasks = [
        {"task": t, "number": i + 1, "done": i < done, "next": i == done}
        for i, t in enumerate(quest.tasks.all())
    ]
    return {"quest": quest, "progress": progress, "tasks": tasks, "done": done, "total": len(tasks), **extra}


def quest_detail(request: HttpRequest, quest_id: int) -> HttpResponse:
    quest = _quest_or_404(quest_id)
    return render(request, "voting/quizzes/quest.html", _quest_context(request, quest))


@login_required
@require_POST
def quest_task(request: HttpRequest, quest_id: int, task_id: int) -> HttpResponse:
    quest = _quest_or_404(quest_id)
    template = "voting/quizzes/_quest.html" if is_htmx(request) else "voting/quizzes/quest.html"
    try:
        step = services_quests.quest_task_complete(
            quest_id=quest.pk,
            task_id=task_id,
            resident=resident_of(request),
            code=request.POST.get("code", "")[:100],
        )
    except DomainError as refusal:
        context = _quest_context(request, quest, error=refusal.text, error_task=task_id)
        return render(request, template, context, status=200 if is_htmx(request) else refusal.status)
    return render(request, template, _quest_context(request, quest, step=step))
