"""Pure rules of participatory budgeting: phases and funding. No ORM here.

The ballot's own limits (within the budget, at least N, exactly N projects) are the poll
engine's (``gorod.voting.rules.check_budget``), since the ballot is a poll's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from gorod.voting.budgets import errors

PHASES = ("proposals", "review", "voting", "results", "implementation")
RULES = ("within_budget", "min_projects", "fixed_count")
# A project's gallery beside its cover image (issue 27); the cover stays ``BudgetProject.image``.
MAX_PROJECT_IMAGES = 6


def check_phase_move(from_phase: str, to_phase: str) -> None:
    """Phases go forward one at a time: nothing a later phase made can be undone."""
    if from_phase not in PHASES or PHASES.index(from_phase) + 1 >= len(PHASES):
        raise errors.PhaseMoveInvalid(from_phase=from_phase, to_phase=to_phase)
    if PHASES[PHASES.index(from_phase) + 1] != to_phase:
        raise errors.PhaseMoveInvalid(from_phase=from_phase, to_phase=to_phase)


def next_phase(phase: str) -> str | None:
    position = PHASES.index(phase)
    return PHASES[position + 1] if position + 1 < len(PHASES) else None


def check_round(*, budget_roubles: int, rule: str, rule_count: int) -> None:
    if budget_roubles <= 0:
        raise errors.BudgetInvalid(field="budget_roubles")
    if rule not in RULES:
        raise errors.RuleInvalid(field="rule")
    if rule != "within_budget" and rule_count < 1:
        raise errors.RuleInvalid(field="rule_count")


def check_project_cost(*, cost_roubles: int, budget_roubles: int) -> None:
    """A project must cost something, and no more than the whole budget: one that could never be
    funded would only take votes from those that can."""
    if cost_roubles <= 0:
        raise errors.CostInvalid(field="cost_roubles")
    if cost_roubles > budget_roubles:
        raise errors.ProjectOverBudget(field="cost_roubles", budget=budget_roubles)


def check_ready_to_vote(*, reviews: Iterable[str], rule: str, rule_count: int) -> None:
    """Voting starts when every project has been reviewed and enough are feasible to choose from."""
    reviews = list(reviews)
    if "pending" in reviews:
        raise errors.ProjectsNotReviewed()
    feasible = reviews.count("feasible")
    needed = max(2, rule_count if rule != "within_budget" else 0)
    if feasible < needed:
        raise errors.TooFewFeasible(needed=needed)


@dataclass(frozen=True)
class Candidate:
    project_id: int
    votes: int
    cost_roubles: int


@dataclass(frozen=True)
class FundingLine:
    project_id: int
    votes: int
    cost_roubles: int
    funded: bool
    remaining_roubles: int  # what was left after this line


def fund(candidates: Iterable[Candidate], budget_roubles: int) -> list[FundingLine]:
    """CONSUL's rule: projects by votes, most first; each is funded if its cost fits what remains,
    otherwise skipped (too expensive for what is left) and the next one is tried.

    Ties in votes go to the cheaper project (more of the budget left for others), then to the
    earlier proposal (lower id), so the order is total and anyone recomputing gets the same list.
    """
    remaining = budget_roubles
    lines = []
    for c in sorted(candidates, key=lambda c: (-c.votes, c.cost_roubles, c.project_id)):
        funded = c.votes > 0 and c.cost_roubles <= remaining
        if funded:
            remaining -= c.cost_roubles
        lines.append(FundingLine(c.project_id, c.votes, c.cost_roubles, funded, remaining))
    return lines


def promised_by(voting_closed_on: dt.date) -> dt.date:
    """The implementation date promised for funded projects: the end of the year the vote closed,
    or of the next year when fewer than 90 days of this one remain (a season's works need time)."""
    end_of_year = dt.date(voting_closed_on.year, 12, 31)
    if end_of_year < voting_closed_on + dt.timedelta(days=90):
        return dt.date(voting_closed_on.year + 1, 12, 31)
    return end_of_year
