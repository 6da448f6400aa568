"""Reads of participatory budgeting: rounds, their projects and the published funding."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from gorod.voting.budgets import errors
from gorod.voting.budgets.models import BudgetProject, BudgetRound
from gorod.voting.targeting import Targeting, area_ok, buildings_ok, level_ok


def rounds_public() -> QuerySet[BudgetRound]:
    return (
        BudgetRound.objects.select_related("district", "poll")
        .prefetch_related("target_buildings")
        .order_by("-voting_opens_at", "-pk")
    )


def round_get(round_id: int) -> BudgetRound:
    found = rounds_public().filter(pk=round_id).first()
    if found is None:
        raise errors.RoundNotFound(round_id=round_id)
    return found


def projects_of(budget_round: BudgetRound) -> list[BudgetProject]:
    return list(
        budget_round.projects.select_related("district", "decision", "address")
        .prefetch_related("images")
        .order_by("pk")
    )


def building_ids_of(budget_round: BudgetRound) -> list[int]:
    return sorted(b.building_id for b in budget_round.target_buildings.all())


def round_targeting(budget_round: BudgetRound) -> Targeting:
    """Who may vote in the round: its district (none: the city), its buildings (none: any) and its
    minimum level. The round's poll is made with exactly this targeting, so the engine checks it
    on every ballot, on the page and in the API."""
    return Targeting.of(
        district_ids=[budget_round.district_id] if budget_round.district_id else [],
        building_ids=building_ids_of(budget_round),
        min_level=budget_round.min_level,
    )


def may_vote_in(budget_round: BudgetRound, resident: Any) -> bool | None:
    """Whether a signed-in resident is among those the round is for (None: not signed in)."""
    if resident is None or not resident.is_authenticated:
        return None
    spec = round_targeting(budget_round)
    return (
        level_ok(resident, spec.min_level) and area_ok(resident, spec) and buildings_ok(resident, spec, None)
    )


def vote_refusal_in(budget_round: BudgetRound, resident: Any) -> str | None:
    """Why a signed-in resident may not vote, as the page says it: "level" (the round needs a
    higher account level), "area" (another district) or "buildings" (other buildings); None when
    they may or are not signed in. The same checks, in the same order, as the engine's."""
    if resident is None or not resident.is_authenticated:
        return None
    spec = round_targeting(budget_round)
    if not level_ok(resident, spec.min_level):
        return "level"
    if not area_ok(resident, spec):
        return "area"
    if not buildings_ok(resident, spec, None):
        return "buildings"
    return None


@dataclass(frozen=True)
class FundedProject:
    project: BudgetProject
    votes: int
    funded: bool
    remaining_roubles: int


def funding_of(budget_round: BudgetRound, projects: list[BudgetProject]) -> list[FundedProject]:
    """The published funding, in its order (most votes first), with each of the round's projects
    (as ``projects_of`` read them, so the page reads them once)."""
    lines = (budget_round.funding or {}).get("lines", [])
    by_id = {p.pk: p for p in projects}
    return [
        FundedProject(by_id[line["project_id"]], line["votes"], line["funded"], line["remaining_roubles"])
        for line in lines
        if line["project_id"] in by_id
    ]


def funded_total_roubles(budget_round: BudgetRound) -> int:
    return sum(
        line["cost_roubles"] for line in (budget_round.funding or {}).get("lines", []) if line["funded"]
    )


def places_json(projects: list[BudgetProject]) -> str:
    """The projects that have a place, as one GeoJSON FeatureCollection for a page's map (each
    point labelled with its project's title and address), or "" when none has a place."""
    features = [
        {
            "type": "Feature",
            "geometry": p.location,
            "properties": {"label": f"{p.title} — {p.address.text}" if p.address else str(p.title)},
        }
        for p in projects
        if p.location
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}) if features else ""


def attach_projects(poll: Any) -> list[BudgetProject]:
    """On a round's poll, give each option (as the poll's prefetch holds them) its ``project``, so
    the ballot shows where each project is and what it looks like; returns the projects."""
    projects = list(
        BudgetProject.objects.filter(option__question__poll=poll)
        .select_related("address")
        .prefetch_related("images")
        .order_by("pk")
    )
    by_option = {p.option_id: p for p in projects}
    if by_option:
        for question in poll.questions.all():
            for option in question.options.all():
                option.project = by_option.get(option.pk)
    return projects
