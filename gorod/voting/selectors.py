"""Reads for the Active Citizen pages and API, in a bounded number of queries."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Value

from gorod.accounts.models import Resident
from gorod.core.cache import shared_cache
from gorod.core.content import in_reader_language
from gorod.core.db import related
from gorod.core.db.related import RelatedLink
from gorod.core.time import city_today
from gorod.voting import errors, permissions, rules, tally
from gorod.voting.decisions import rules as decision_rules
from gorod.voting.models import (
    Decision,
    ModerationStatus,
    Option,
    OtherAnswer,
    Participation,
    Poll,
    PollBuilding,
    PollKind,
    PollStatus,
    Question,
)
from gorod.voting.targeting import (
    Targeting,
    area_ok,
    building_directory,
    buildings_ok,
    level_ok,
    polls_for,
    targeting_of,
)

PAGE_SIZE = 20
# What the services bump (gorod.core.cache.shared_cache) when a poll's status, questions or targeting
# change: the poll lists residents read.
POLLS = "voting.polls"
# What they bump when what a poll's public results document shows changes (its status, stored
# tally and root, approved other answers): anonymous readers' copies (public_responses).
RESULTS = "voting.results"
FINISHED_SHOWN = 10


def _with_questions(polls: QuerySet[Poll]) -> QuerySet[Poll]:
    return polls.prefetch_related(
        Prefetch(
            "questions",
            queryset=Question.objects.prefetch_related(Prefetch("options", queryset=Option.objects.all())),
        )
    )


def open_polls_for(resident: Any) -> QuerySet[Poll]:
    return polls_for(resident, Poll.objects.filter(status=PollStatus.OPEN)).order_by("closes_at", "pk")


def public_polls(status: str | None = None) -> QuerySet[Poll]:
    # Neighbour surveys are for their building's residents only (permissions.may_see_poll);
    # they reach them through their own open-poll list and the housing pages.
    polls = Poll.objects.filter(status__in=permissions.PUBLIC_STATUSES).exclude(
        kind=PollKind.NEIGHBOUR_SURVEY
    )
    if status:
        polls = polls.filter(status=status)
    return polls.order_by("-opens_at", "-pk")


@dataclass(frozen=True)
class Page:
    polls: list[Poll]
    number: int
    has_next: bool


def paginate(polls: QuerySet[Poll], page: int, size: int = PAGE_SIZE) -> Page:
    page = max(page, 1)
    rows = list(polls[(page - 1) * size : page * size + 1])
    return Page(polls=rows[:size], number=page, has_next=len(rows) > size)


def _audience(resident: Any) -> tuple[Any, ...]:
    """What ``polls_for`` reads of a resident: their level and home district, and their
    buildings only while some open poll is for particular buildings (one query then)."""
    targets_buildings = shared_cache.remember(
        POLLS,
        "open-for-buildings",
        lambda: PollBuilding.objects.filter(poll__status=PollStatus.OPEN).exists(),
    )
    buildings = (
        frozenset(building_directory().buildings_of(resident.pk)) if targets_buildings else frozenset()
    )
    return (resident.level, resident.home_district_id, buildings)


def open_polls_list_for(resident: Any) -> list[Poll]:
    """``open_polls_for`` with questions and options, shared by the residents it is the same
    for (gorod.core.cache.shared_cache): a signed-in resident's poll list, home page and API list
    cost no poll queries while it is kept. Whether they voted is theirs: ``voted_poll_ids``."""
    return shared_cache.remember(
        POLLS, ("open-for", *_audience(resident)), lambda: list(_with_questions(open_polls_for(resident)))
    )


def page_of(polls: list[Poll], page: int, size: int = PAGE_SIZE) -> Page:
    page = max(page, 1)
    rows = polls[(page - 1) * size : page * size + 1]
    return Page(polls=rows[:size], number=page, has_next=len(rows) > size)


def finished_polls() -> list[Poll]:
    """The latest finished polls with results, the same for everyone."""
    return shared_cache.remember(
        POLLS, "finished", lambda: list(public_polls().exclude(status=PollStatus.OPEN)[:FINISHED_SHOWN])
    )


def voted_poll_ids(resident: Any, poll_ids: list[int]) -> set[int]:
    if not getattr(resident, "is_authenticated", False):
        return set()
    return set(
        Participation.objects.filter(resident=resident, poll_id__in=poll_ids).values_list(
            "poll_id", flat=True
        )
    )


def poll_row(user: Any, poll_id: int) -> Poll:
    """The poll without its questions, for a reader allowed to see it, with ``viewer_voted``
    (whether this reader took part): one query."""
    polls = Poll.objects.filter(pk=poll_id)
    if getattr(user, "is_authenticated", False):
        polls = polls.annotate(
            viewer_voted=Exists(Participation.objects.filter(poll_id=OuterRef("pk"), resident_id=user.pk))
        )
    else:
        polls = polls.annotate(viewer_voted=Value(False))
    poll = polls.first()
    if poll is None or not permissions.may_see_poll(user, poll):
        raise errors.PollNotFound(poll_id=poll_id)
    return poll


def poll_get(user: Any, poll_id: int) -> Poll:
    poll = _with_questions(Poll.objects.filter(pk=poll_id)).first()
    if poll is None or not permissions.may_see_poll(user, poll):
        raise errors.PollNotFound(poll_id=poll_id)
    return poll


def results_after_vote(user: Any, poll: Poll, voted: bool | None = None) -> bool:
    """Live results of an open poll wait until this resident has voted.

    Seeing the running tally first nudges a voter towards the leading option (and a resident
    could watch it instead of voting); after their vote, or once the poll closes, it is safe.
    Operators keep seeing them: they run the poll and do not vote in it as residents.
    ``voted``: whether they have, when already read (``poll_row``'s ``viewer_voted``).
    """
    if poll.status != PollStatus.OPEN:
        return False
    if voted is None:
        voted = bool(voted_poll_ids(user, [poll.pk]))
    return not voted and not permissions.may_manage_polls(user)


def results_gate(user: Any, poll: Poll) -> None:
    """Refuse a reader who may not see the poll's results (yet)."""
    if not permissions.results_visible(user, poll):
        raise errors.ResultsNotAvailable(poll_id=poll.pk)
    if results_after_vote(user, poll, getattr(poll, "viewer_voted", None)):
        raise errors.ResultsAfterVote(poll_id=poll.pk)


def results_of(user: Any, poll: Poll) -> dict:
    """Stored results after close; the running tally the mix keeps while open (if allowed, and
    only to those who have voted); in the reader's language."""
    results_gate(user, poll)
    return _in_reader_language(poll.results if poll.results is not None else tally.live(poll))


def _in_reader_language(results: dict) -> dict:
    """The results with their questions, options and districts named in the reader's language
    (the tally keeps texts as written, shared by every language); a copy, never the stored one."""

    def questions(block: list[dict]) -> list[dict]:
        return [
            {
                **question,
                "text": in_reader_language(question["text"]),
                "options": [{**o, "text": in_reader_language(o["text"])} for o in question["options"]],
            }
            for question in block
        ]

    other = results.get("other_districts")
    return {
        **results,
        "questions": questions(results["questions"]),
        "districts": [
            {**d, "name": in_reader_language(d["name"]), "questions": questions(d["questions"])}
            for d in results.get("districts", [])
        ],
        "other_districts": other and {**other, "questions": questions(other["questions"])},
    }


def approved_other_answers(poll: Poll) -> list[OtherAnswer]:
    return list(
        OtherAnswer.objects.filter(poll=poll, status=ModerationStatus.APPROVED).order_by(
            "question_id", "text"
        )
    )


def decisions(
    *,
    district_id: int | None = None,
    year: int | None = None,
    status: str | None = None,
    poll_id: int | None = None,
) -> QuerySet[Decision]:
    found = Decision.objects.select_related("district", "poll")
    if district_id:
        found = found.filter(district_id=district_id)
    if year:
        found = found.filter(Q(planned_on__year=year) | Q(done_on__year=year))
    if status:
        found = found.filter(status=status)
    if poll_id:
        found = found.filter(poll_id=poll_id)
    return found.order_by("-created_at", "-pk")


def decision_links(decisions: Sequence[Decision]) -> dict[int, list[RelatedLink]]:
    """Pages of other apps about these decisions ("People of the project" stories, ...)."""
    return related.links_for("voting.decision", [d.pk for d in decisions])


def decisions_geojson(found: QuerySet[Decision]) -> dict:
    rows = [d for d in found if d.location]
    links = decision_links(rows)
    today = city_today()
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": d.pk,
                "geometry": d.location,
                "properties": {
                    "title": d.title,
                    "status": d.status,
                    "status_label": str(d.get_status_display()),
                    "organisation": d.organisation,
                    "district": d.district.name if d.district else None,
                    "poll_id": d.poll_id,
                    "poll_title": d.poll.title if d.poll else None,
                    "planned_on": d.planned_on.isoformat() if d.planned_on else None,
                    "done_on": d.done_on.isoformat() if d.done_on else None,
                    "late": decision_rules.is_late(d.status, d.planned_on, d.done_on, today),
                    "progress_percent": d.progress_percent,
                    "links": [
                        {"title": link.title, "url": link.url, "kind": link.kind}
                        for link in links.get(d.pk, [])
                    ],
                },
            }
            for d in rows
        ],
    }


def published_ballot_rows(poll: Poll) -> Iterator[tuple[str, str]]:
    """(receipt hash, choices) of a poll's ballots exactly as its public ``ballots.csv`` gives
    them, and nothing before that download is allowed: the open data catalogue reads this."""
    if not permissions.ballots_downloadable(poll):
        return iter(())
    return tally.ballot_rows(poll)


def _budget_shape(question: Question) -> rules.BudgetShape | None:
    if question.budget_roubles is None:
        return None
    return rules.BudgetShape(
        budget_roubles=question.budget_roubles,
        rule=question.budget_rule or "within_budget",
        count=question.budget_rule_count,
        cost_roubles={o.pk: o.cost_roubles or 0 for o in question.options.all()},
    )


def question_shapes(poll: Poll) -> list[rules.QuestionShape]:
    return [
        rules.QuestionShape(
            id=q.pk,
            kind=q.kind,
            max_choices=q.max_choices,
            allow_other=q.allow_other,
            option_ids=frozenset(o.pk for o in q.options.all()),
            budget=_budget_shape(q),
        )
        for q in poll.questions.prefetch_related("options")
    ]


def check_eligible(
    poll: Poll,
    resident: Resident,
    resident_building_ids: Collection[int] | None = None,
    spec: Targeting | None = None,
) -> None:
    spec = spec or targeting_of(poll)
    if not level_ok(resident, spec.min_level):
        raise errors.LevelTooLow(required=spec.min_level)
    if not area_ok(resident, spec) or not buildings_ok(resident, spec, resident_building_ids):
        raise errors.PollNotForYou(poll_id=poll.pk)
