"""Resident pages for quizzes, quests and "Pulse of the capital" ratings. Forms post with htmx
(a fragment replaces the form in place) and work without JavaScript (the whole page)."""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from gorod.accounts.models import Resident
from gorod.core.errors import DomainError
from gorod.voting.quests import services as services_quests
from gorod.voting.quizzes import errors as errors_quizzes
from gorod.voting.quizzes import selectors as selectors_quizzes
from gorod.voting.quizzes import services as services_quizzes
from gorod.voting.quizzes.models import Quest, QuestProgress, Quiz
from gorod.voting.ratings import selectors as ratings_selectors
from gorod.voting.ratings import services as ratings
from gorod.voting.ratings.models import RatedItem, Rating

PULSE_PAGE_SIZE = 20


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def quiz_list(request: HttpRequest) -> HttpResponse:
    """Open quizzes for me and the quests with my progress."""
    user = request.user
    quizzes = list(selectors_quizzes.open_quizzes_for(user)[:50])
    taken = selectors_quizzes.taken_quiz_ids(user, [q.pk for q in quizzes])
    quests = list(selectors_quizzes.published_quests()[:50])
    progress = selectors_quizzes.progress_of(user, [q.pk for q in quests])
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
    if user.is_authenticated and attempt is None:
        try:
            selectors_quizzes.check_can_take(quiz, user, timezone.now())  # type: ignore[arg-type]
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
    template = "voting/quizzes/_quiz.html" if _is_htmx(request) else "voting/quizzes/detail.html"
    try:
        result = services_quizzes.quiz_take(quiz_id=quiz.pk, resident=request.user, answers=answers)  # type: ignore[arg-type]
    except DomainError as refusal:
        field = refusal.field or ""
        question_id = int(field[1:]) if field.startswith("q") and field[1:].isdigit() else None
        context = _quiz_context(request, quiz, error=refusal.text, error_question=question_id, ticked=ticked)
        return render(request, template, context, status=200 if _is_htmx(request) else refusal.status)
    return render(request, template, _quiz_context(request, quiz, result=result, just_taken=True))


def _quest_or_404(quest_id: int) -> Quest:
    try:
        return selectors_quizzes.quest_get(quest_id)
    except errors_quizzes.QuestNotFound:
        raise Http404 from None


def _quest_context(request: HttpRequest, quest: Quest, **extra: Any) -> dict[str, Any]:
    progress: QuestProgress | None = selectors_quizzes.progress_of(request.user, [quest.pk]).get(quest.pk)
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
    template = "voting/quizzes/_quest.html" if _is_htmx(request) else "voting/quizzes/quest.html"
    try:
        step = services_quests.quest_task_complete(
            quest_id=quest.pk,
            task_id=task_id,
            resident=request.user,  # type: ignore[arg-type]
            code=request.POST.get("code", "")[:100],
        )
    except DomainError as refusal:
        context = _quest_context(request, quest, error=refusal.text, error_task=task_id)
        return render(request, template, context, status=200 if _is_htmx(request) else refusal.status)
    return render(request, template, _quest_context(request, quest, step=step))


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 10_000 else 1


def pulse(request: HttpRequest) -> HttpResponse:
    """Published novelties; the ones I rated show the average and distribution."""
    page = _page_number(request)
    rows = list(
        RatedItem.objects.filter(published=True).order_by("-created_at", "-pk")[
            (page - 1) * PULSE_PAGE_SIZE : page * PULSE_PAGE_SIZE + 1
        ]
    )
    items = rows[:PULSE_PAGE_SIZE]
    mine: dict[int, Rating] = {}
    if request.user.is_authenticated:
        mine = {r.item_id: r for r in Rating.objects.filter(resident=request.user, item__in=items)}
    summaries = selectors_quizzes.rating_summaries(list(mine))
    cards = [_card(item, mine.get(item.pk), summaries.get(item.pk)) for item in items]
    return render(
        request,
        "voting/quizzes/pulse.html",
        {"cards": cards, "page": page, "has_next": len(rows) > PULSE_PAGE_SIZE},
    )


def _card(
    item: RatedItem, rating: Rating | None, summary: ratings_selectors.Summary | None, **extra: Any
) -> dict[str, Any]:
    bars = []
    if summary is not None:
        for score in range(5, 0, -1):
            count = summary.distribution.get(score, 0)
            bars.append(
                {
                    "score": score,
                    "count": count,
                    "percent": count * 100 // summary.count if summary.count else 0,
                }
            )
    return {"item": item, "rating": rating, "summary": summary, "bars": bars, **extra}


@login_required
@require_POST
def pulse_rate(request: HttpRequest, item_id: int) -> HttpResponse:
    item = RatedItem.objects.filter(pk=item_id, published=True).first()
    if item is None:
        raise Http404
    raw = request.POST.get("score", "")
    score = int(raw) if raw.isdigit() and len(raw) < 3 else 0
    comment = request.POST.get("comment", "")[:5000]
    resident = cast(Resident, request.user)  # login_required
    try:
        rating, points = ratings.rating_cast(item_id=item.pk, resident=resident, score=score, comment=comment)
    except DomainError as refusal:
        existing = Rating.objects.filter(item=item, resident=resident).first()
        summary = ratings_selectors.summary_of(item.pk) if existing else None
        card = _card(item, existing, summary, error=refusal.text, comment=comment)
        status = 200 if _is_htmx(request) else refusal.status
        if _is_htmx(request):
            return render(request, "voting/quizzes/_pulse_item.html", {"card": card}, status=status)
        return render(request, "voting/quizzes/pulse.html", {"cards": [card], "page": 1}, status=status)
    if not _is_htmx(request):
        return redirect(reverse("voting:pulse") + f"#novelty-{item.pk}")
    card = _card(item, rating, ratings_selectors.summary_of(item.pk), points=points)
    return render(request, "voting/quizzes/_pulse_item.html", {"card": card})
