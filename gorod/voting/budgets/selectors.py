"""Reads of participatory budgeting: rounds, their projects and the published funding."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from gorod.voting.budgets import errors
from gorod.voting.budgets.models import BudgetProject, BudgetRound


def rounds_public() -> QuerySet[BudgetRound]:
    return BudgetRound.objects.select_related("district", "poll").order_by("-voting_opens_at", "-pk")


def round_get(round_id: int) -> BudgetRound:
    found = rounds_public().filter(pk=round_id).first()
    if found is None:
        raise errors.RoundNotFound(round_id=round_id)
    return found


def projects_of(budget_round: BudgetRound) -> list[BudgetProject]:
    return list(budget_round.projects.select_related("district", "decision").order_by("pk"))


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
