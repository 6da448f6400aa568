"""Reads of Mission City for pages and the API, in a bounded number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet

from gorod.accounts.models import Resident
from gorod.core.cache import shared_cache
from gorod.core.errors import NotFound
from gorod.core.time import city_today
from gorod.missions import rules
from gorod.missions.models import Challenge, Evidence, Participation
from gorod.points import selectors as points_selectors
from gorod.points.errors import UnknownEarningRule

PROGRAMME = "mission_city"


# What challenge_save bumps (gorod.core.cache.shared_cache): the open challenges the home page lists.
CHALLENGES = "missions.challenges"


def challenges_visible() -> QuerySet[Challenge]:
    return (
        Challenge.objects.filter(published=True)
        .annotate(participant_count=Count("participations", filter=Q(participations__left_at__isnull=True)))
        .prefetch_related("districts")
        .order_by("-starts_on", "pk")
    )


def challenges_page(*, page: int = 1, open_only: bool = True, per_page: int = 20) -> Page:
    rows = challenges_visible()
    if open_only:
        today = city_today()
        rows = rows.filter(starts_on__lte=today, ends_on__gte=today)
    return Paginator(rows, per_page).get_page(page)


def my_participations(resident: Resident | None, challenge_ids: list[int]) -> dict[int, Participation]:
    if resident is None or not resident.is_authenticated:
        return {}
    return {
        p.challenge_id: p
        for p in Participation.objects.filter(resident=resident, challenge_id__in=challenge_ids)
    }


def challenge_get(challenge_id: int) -> Challenge:
    challenge = challenges_visible().filter(pk=challenge_id).first()
    if challenge is None:
        raise NotFound()
    return challenge


def cap_of(challenge: Challenge) -> int | None:
    try:
        return points_selectors.current_version(PROGRAMME, challenge.action).cap_amount
    except UnknownEarningRule:
        return None


def rule_missing(action: str) -> bool:
    try:
        points_selectors.current_version(PROGRAMME, action)
    except UnknownEarningRule:
        return True
    return False


@dataclass(frozen=True)
class BoardRow:
    rank: int
    name: str
    progress: int
    is_me: bool


def leaderboard(challenge: Challenge, *, viewer: Resident | None = None, limit: int = 20) -> list[BoardRow]:
    """Top residents who chose to show their name; others are simply not listed."""
    rows = (
        Participation.objects.filter(challenge=challenge, show_on_leaderboard=True, progress__gt=0)
        .select_related("resident")
        .order_by("-progress", "joined_at", "pk")[:limit]
    )
    viewer_id = getattr(viewer, "pk", None)
    return [
        BoardRow(rank=n, name=p.resident.public_name, progress=p.progress, is_me=p.resident_id == viewer_id)
        for n, p in enumerate(rows, start=1)
    ]


@dataclass(frozen=True)
class ChallengeView:
    challenge: Challenge
    participation: Participation | None
    cap: int | None
    remaining_allowance: int | None
    ineligibility: str | None
    is_open: bool
    percent: int
    evidence: list[Evidence]


def challenge_view(challenge: Challenge, resident: Resident | None) -> ChallengeView:
    participation = None
    evidence: list[Evidence] = []
    signed_in = bool(resident and resident.is_authenticated)
    if signed_in:
        participation = (
            Participation.objects.filter(challenge=challenge, resident=resident)
            .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("-created_at", "-pk")))
            .first()
        )
        if participation is not None:
            evidence = list(participation.evidence.all()[:50])
    cap = cap_of(challenge)
    earned = participation.points_earned if participation else 0
    reason = (
        rules.ineligibility(
            min_level=challenge.min_level,
            level=resident.level,
            district_ids={d.pk for d in challenge.districts.all()},
            home_district_id=resident.home_district_id,
        )
        if signed_in and resident is not None
        else None
    )
    progress = participation.progress if participation else 0
    return ChallengeView(
        challenge=challenge,
        participation=participation,
        cap=cap,
        remaining_allowance=rules.remaining_allowance(cap=cap, earned=earned),
        ineligibility=reason,
        is_open=rules.is_open(starts_on=challenge.starts_on, ends_on=challenge.ends_on, today=city_today()),
        percent=min(100, progress * 100 // challenge.goal_amount),
        evidence=evidence,
    )


def open_for(resident: Resident, *, limit: int = 5) -> list[Challenge]:
    """Open challenges a resident may join or has joined (for the home page)."""
    today = city_today()
    rows = shared_cache.remember(
        CHALLENGES,
        ("open", today, limit),
        lambda: list(challenges_visible().filter(starts_on__lte=today, ends_on__gte=today)[: limit * 4]),
    )
    result = []
    for challenge in rows:
        if (
            rules.ineligibility(
                min_level=challenge.min_level,
                level=resident.level,
                district_ids={d.pk for d in challenge.districts.all()},
                home_district_id=resident.home_district_id,
            )
            is None
        ):
            result.append(challenge)
        if len(result) == limit:
            break
    return result
