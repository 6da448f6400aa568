"""Building blocks for the quiz and quest tests."""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any

from django.apps import apps
from django.utils import timezone

from gorod.voting.quizzes import services as services_quizzes
from gorod.voting.quizzes.models import Quiz
from gorod.voting.quizzes.services import QuizQuestionSpec


def quiz_add_form(**changes: str) -> dict[str, str]:
    """The console's "add a quiz" form, filled in as an operator would, with no question."""
    now = timezone.localtime()
    return {
        "title": "Moscow parks",
        "description": "",
        "opens_at_0": now.strftime("%Y-%m-%d"),
        "opens_at_1": "00:00:00",
        "closes_at_0": (now + dt.timedelta(days=3)).strftime("%Y-%m-%d"),
        "closes_at_1": "00:00:00",
        "reward_action": "quiz",
        "min_level": "simplified",
        "questions-TOTAL_FORMS": "0",
        "questions-INITIAL_FORMS": "0",
        **changes,
    }


def restore_rules() -> None:
    """Transactional tests start from a flushed database: put the published rules back."""
    for name in ("0002_programmes", "0003_default_rules"):
        importlib.import_module(f"gorod.points.migrations.{name}").create(apps, None)
    importlib.import_module("gorod.voting.migrations.0006_quiz_rules").create(apps, None)


def make_quiz(*, publish: bool = True, **kw: Any) -> Quiz:
    now = timezone.now()
    quiz = services_quizzes.quiz_create(
        title=kw.pop("title", "How well do you know Moscow?"),
        opens_at=kw.pop("opens_at", now - dt.timedelta(hours=1)),
        closes_at=kw.pop("closes_at", now + dt.timedelta(days=7)),
        questions=kw.pop(
            "questions",
            [
                QuizQuestionSpec(
                    text="When was Moscow first mentioned?",
                    options=[("1147", True), ("1247", False), ("1047", False)],
                    explanation="In the Hypatian Chronicle, 1147.",
                ),
                QuizQuestionSpec(
                    text="Which are Moscow rivers?",
                    options=[("Yauza", True), ("Neglinnaya", True), ("Neva", False)],
                ),
            ],
        ),
        **kw,
    )
    if publish:
        services_quizzes.quiz_publish(quiz_id=quiz.pk)
    return quiz


def right_answers(quiz: Quiz) -> dict[int, list[int]]:
    return {
        q.pk: [o.pk for o in q.options.all() if o.is_correct]
        for q in quiz.questions.prefetch_related("options")
    }


def wrong_first(quiz: Quiz) -> dict[int, list[int]]:
    """The first question wrong, the rest right."""
    answers = right_answers(quiz)
    first = quiz.questions.order_by("position").first()
    assert first is not None
    answers[first.pk] = [o.pk for o in first.options.all() if not o.is_correct][:1]
    return answers


def api_answers(answers: dict[int, list[int]]) -> dict[str, Any]:
    return {"answers": [{"question_id": q, "option_ids": ids} for q, ids in answers.items()]}
