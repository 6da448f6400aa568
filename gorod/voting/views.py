"""Resident pages of Active Citizen: polls, voting (htmx, works without JS), results, receipts,
decisions and their map. Every decision is a service or selector call."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from gorod.accounts.edge import resident_of, resident_or_none
from gorod.accounts.models import District
from gorod.core.cache.public_cache import public_cache
from gorod.core.errors import DomainError
from gorod.core.time import city_today
from gorod.voting import errors, permissions, rules, seal, selectors, services
from gorod.voting.budgets import selectors as budget_selectors
from gorod.voting.custody import selectors as custody_selectors
from gorod.voting.decisions import rules as decision_rules
from gorod.voting.decisions import selectors as decisions_selectors
from gorod.voting.models import DecisionStatus, Poll
from gorod.voting.pages import page_number


@public_cache
def poll_list(request: HttpRequest) -> HttpResponse:
    """Open polls for me (all open ones when signed out) and finished polls with results."""
    user = request.user
    if user.is_authenticated:
        mine = selectors.page_of(selectors.open_polls_list_for(user), page_number(request))
    else:
        mine = selectors.paginate(selectors.public_polls("open"), page_number(request))
    voted = selectors.voted_poll_ids(user, [p.pk for p in mine.polls])
    return render(
        request,
        "voting/poll_list.html",
        {"page": mine, "finished": selectors.finished_polls(), "voted": voted},
    )


def _poll_or_404(request: HttpRequest, poll_id: int) -> Poll:
    try:
        return selectors.poll_get(request.user, poll_id)
    except errors.PollNotFound:
        raise Http404 from None


def _poll_context(request: HttpRequest, poll: Poll, **extra: Any) -> dict[str, Any]:
    user = request.user
    voted = bool(selectors.voted_poll_ids(user, [poll.pk]))
    eligible_error = None
    resident = resident_or_none(request)
    if resident is not None and poll.status == "open" and not voted:
        try:
            selectors.check_eligible(poll, resident)
        except DomainError as refusal:
            eligible_error = refusal.text
    results = None
    results_after_vote = False
    if permissions.results_visible(user, poll):
        results_after_vote = not voted and selectors.results_after_vote(user, poll)
        if not results_after_vote:
            results = selectors.results_of(user, poll)
    budget_projects = (
        budget_selectors.attach_projects(poll) if any(q.budget_roubles for q in poll.questions.all()) else []
    )
    return {
        "api_base": reverse("api:openapi-json").rsplit("openapi.json", 1)[0],
        "poll": poll,
        "budget_places_json": budget_selectors.places_json(budget_projects),
        "voted": voted,
        "eligible_error": eligible_error,
        "results": results,
        "results_after_vote": results_after_vote,
        "other_answers": selectors.approved_other_answers(poll) if results else [],
        "decisions": list(selectors.decisions(poll_id=poll.pk)[:50]),
        **extra,
    }


def poll_detail(request: HttpRequest, poll_id: int) -> HttpResponse:
    poll = _poll_or_404(request, poll_id)
    return render(request, "voting/poll_detail.html", _poll_context(request, poll))


@dataclass(frozen=True)
class Ticked:
    """What a refused voter sent, re-shown on the ballot so nothing has to be chosen again:
    the ticked option ids (unique across the poll) and the "other" texts by question id."""

    option_ids: frozenset[int] = frozenset()
    others: dict[int, str] = field(default_factory=dict)


def answers_from_post(poll: Poll, data: Any) -> tuple[list[rules.Answer], Ticked]:
    """The form's fields ``q<id>`` (option ids) and ``other<id>`` as answers, plus what was ticked."""
    answers: list[rules.Answer] = []
    ticked_ids: set[int] = set()
    others: dict[int, str] = {}
    for question in poll.questions.all():
        raw = data.getlist(f"q{question.pk}")
        option_ids = tuple(int(v) for v in raw if v.isdigit() and len(v) < 12)
        ticked_ids.update(option_ids)
        other = data.get(f"other{question.pk}", "")[:5000] if question.allow_other else ""
        if other:
            others[question.pk] = other
        if option_ids or other.strip():
            answers.append(rules.Answer(question_id=question.pk, option_ids=option_ids, other=other))
    return answers, Ticked(option_ids=frozenset(ticked_ids), others=others)


@login_required
@require_POST
def ballot_post(request: HttpRequest, poll_id: int) -> HttpResponse:
    poll = _poll_or_404(request, poll_id)
    answers, ticked = answers_from_post(poll, request.POST)
    template = "voting/_ballot.html" if request.htmx else "voting/poll_detail.html"  # type: ignore[attr-defined]
    try:
        receipt = services.ballot_cast(poll_id=poll.pk, resident=resident_of(request), answers=answers)
    except DomainError as refusal:
        field = refusal.field or ""
        question_id = int(field[1:]) if field.startswith("q") and field[1:].isdigit() else None
        context = _poll_context(request, poll, error=refusal.text, error_question=question_id, ticked=ticked)
        context["voted"] = context["voted"] and refusal.code == "already_voted"
        return render(request, template, context, status=200 if request.htmx else refusal.status)  # type: ignore[attr-defined]
    return render(request, template, _poll_context(request, poll, receipt=receipt))


@public_cache
def how_counted(request: HttpRequest) -> HttpResponse:
    """The public explanation of ballot secrecy and receipts (ADR 0003), in plain words."""
    k, n = custody_selectors.threshold_now(seal.current_public_key(), demo=settings.GOROD_BALLOT_DEMO_CUSTODY)
    return render(
        request,
        "voting/how_counted.html",
        {"mix_min": rules.BREAKDOWN_MIN_GROUP, "trustees_k": k, "trustees_n": n},
    )


def decision_detail(request: HttpRequest, decision_id: int) -> HttpResponse:
    """One decision: what, who, when, and where on a map (its GeoJSON shape)."""
    decision = selectors.decisions().filter(pk=decision_id).first()
    if decision is None:
        raise Http404
    return render(
        request,
        "voting/decision_detail.html",
        {
            "decision": decision,
            "links": selectors.decision_links([decision]).get(decision.pk, []),
            "geometry_json": json.dumps(decision.location) if decision.location else "",
            "history": decisions_selectors.progress_history(decision.pk),
            # who changed the progress is the operators' to see; the public sees what and when
            "staff": permissions.may_manage_polls(request.user),
        },
    )


def decision_statistics(request: HttpRequest) -> HttpResponse:
    """Guaranteed implementation in figures: votes held, decisions taken, done on time or late."""
    return render(
        request,
        "voting/decision_statistics.html",
        {"stats": decisions_selectors.decision_statistics(city_today())},
    )


def decision_map(request: HttpRequest) -> HttpResponse:
    district = request.GET.get("district", "")
    year = request.GET.get("year", "")
    status = request.GET.get("status", "")
    found = selectors.decisions(
        district_id=int(district) if district.isdigit() else None,
        year=int(year) if year.isdigit() and len(year) == 4 else None,
        status=status if status in DecisionStatus.values else None,
    )
    page = page_number(request)
    rows = list(found[(page - 1) * 20 : page * 20 + 1])
    links = selectors.decision_links(rows[:20])
    today = city_today()
    for decision in rows[:20]:
        decision.related_links = links.get(decision.pk, [])  # type: ignore[attr-defined]
        decision.late = decision_rules.is_late(  # type: ignore[attr-defined]
            decision.status, decision.planned_on, decision.done_on, today
        )
    return render(
        request,
        "voting/decisions.html",
        {
            "decisions": rows[:20],
            "has_next": len(rows) > 20,
            "page": page,
            "districts": District.objects.order_by("name"),
            "statuses": DecisionStatus.choices,
            "filters": {"district": district, "year": year, "status": status},
            "api_base": reverse("api:openapi-json").rsplit("openapi.json", 1)[0],
        },
    )
