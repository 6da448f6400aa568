"""Operator console for quests: tasks in order, each a poll, a quiz or a code word."""

from __future__ import annotations

from django.contrib import admin

from gorod.voting.console import OperatorOnly
from gorod.voting.quests.models import Quest, QuestTask


class QuestTaskInline(OperatorOnly, admin.StackedInline):
    model = QuestTask
    extra = 0
    fields = ["position", "kind", "title", "poll", "quiz", "page_url", "code"]
    autocomplete_fields = ["poll", "quiz"]


@admin.register(Quest)
class QuestAdmin(OperatorOnly, admin.ModelAdmin):
    list_display = ["title", "published", "created_at"]
    list_filter = ["published"]
    fields = ["title", "description", "published", "reward_action"]
    inlines = [QuestTaskInline]
