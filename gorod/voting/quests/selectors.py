"""Reads of quests: the published ones, one with its tasks, a resident's progress."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from gorod.voting.quests import errors
from gorod.voting.quests.models import Quest, QuestProgress, QuestTask


def published_quests() -> QuerySet[Quest]:
    return (
        Quest.objects.filter(published=True)
        .prefetch_related(
            Prefetch(
                "tasks", queryset=QuestTask.objects.select_related("poll", "quiz").order_by("position", "pk")
            )
        )
        .order_by("-created_at", "-pk")
    )


def quest_get(quest_id: int) -> Quest:
    quest = published_quests().filter(pk=quest_id).first()
    if quest is None:
        raise errors.QuestNotFound(quest_id=quest_id)
    return quest


def progress_of(resident: Any, quest_ids: list[int]) -> dict[int, QuestProgress]:
    if not getattr(resident, "is_authenticated", False):
        return {}
    return {p.quest_id: p for p in QuestProgress.objects.filter(resident=resident, quest_id__in=quest_ids)}
