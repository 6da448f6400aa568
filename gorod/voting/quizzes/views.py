"""Resident pages for quizzes, quests and "Pulse of the capital" ratings. Forms post with htmx
(a fragment replaces the form in place) and work without JavaScript (the whole page)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gorod.accounts.edge import resident_of, resident_or_none
from gorod.core.errors import DomainError
from gorod.voting.pages import is_htmx
from gorod.voting.quests import selectors as quest_selectors
from gorod.voting.quizzes import errors as errors_quizzes
from gorod.voting.quizzes import selectors as selectors_quizzes
from gorod.voting.quizzes import services as services_quizzes
from gorod.voting.quizzes.models import Quiz


def quiz_list(request: HttpRequest) -> HttpResponse:
    """Open quizzes for me and the quests with my progress."""
    user = request.user
    quizzes = list(selectors_quizzes.open_quizzes_for(user)[:50])
    taken = selectors_quizzes.taken_quiz_ids(user, [q.pk for q in quizzes])
    quests = list(quest_selectors.published_quests()[:50])
    progress = quest_selectors.progress_of(user, [q.pk for q in quests])
    rows = [(quest, progress.get(quest.pk)) for quest in quests]
    return render(
        request,
        "voting/quizzes/list.html",
        {"quizzes": quizzes, "taken": taken, "quests": rows},
    )


def _quiz_or_404(quiz_id: int) -> Quiz:
    try:
        return selectors_quizzes.quiz_get(quiz_id)
    except errors_quizzes.QuizNotFound:
        raise Http404 from None


def _quiz_context(request: HttpRequest, quiz: Quiz, **extra: Any) -> dict[str, Any]:
    user = request.user
    attempt = selectors_quizzes.attempt_of(user, quiz)
    result = extra.pop("result", None)
    if result is None and attempt is not None:
        result = selectors_quizzes.result_of(quiz, attempt)
    refusal = None
    resident = resident_or_none(request)
    if resident is not None and attempt is None:
        try:
            selectors_quizzes.check_can_take(quiz, resident, timezone.now())
        except DomainError as error:
            refusal = error.text
    outcomes = {o.question_id: o for o in result.questions} if result else {}
    questions = [
        {
            "question": q,
            "multiple": sum(1 for o in q.options.all() if o.is_correct) > 1,
            "outcome": outcomes.get(q.pk),
        }
        for q in quiz.questions.all()
    ]
    return {"quiz": quiz, "questions": questions, "result": result, "refusal": refusal, **extra}


def quiz_detail(request: HttpRequest, quiz_id: int) -> HttpResponse:
    quiz = _quiz_or_404(quiz_id)
    return render(request, "voting/quizzes/detail.html", _quiz_context(request, quiz))


def answers_from_post(quiz: Quiz, data: Any) -> tuple[dict[int, list[int]], frozenset[int]]:
    """The form's ``q<id>`` fields as option ids per question, plus every ticked option id (option
    ids are unique across the quiz), so a refused submission is re-shown as it was sent."""
    answers: dict[int, list[int]] = {}
    for question in quiz.questions.all():
        chosen = [int(v) for v in data.getlist(f"q{question.pk}") if v.isdigit() and len(v) < 12]
        if chosen:
            answers[question.pk] = chosen
    return answers, frozenset(i for chosen in answers.values() for i in chosen)


@login_required
@require_POST
def quiz_take(request: HttpRequest, quiz_id: int) -> HttpResponse:
    quiz = _quiz_or_404(quiz_id)
    answers, ticked = answers_from_post(quiz, request.POST)
    template = "voting/quizzes/_quiz.html" if is_htmx(request) else "voting/quizzes/detail.html"
    try:
        result = services_quizzes.quiz_take(quiz_id=quiz.pk, resident=resident_of(request), answers=answers)
    except DomainError as refusal:
        field = refusal.field or ""
        question_id = int(field[1:]) if field.startswith("q") and field[1:].isdigit() else None
        context = _quiz_context(request, quiz, error=refusal.text, error_question=question_id, ticked=ticked)
        return render(request, template, context, status=200 if is_htmx(request) else refusal.status)
    return render(request, template, _quiz_context(request, quiz, result=result, just_taken=True))
