"""Participatory budgeting's pure rules: the ballot limits (knapsack, at least N, exactly N), the
greedy funding with its tie-break, phases and costs. Hand-computed figures."""

from __future__ import annotations

import datetime as dt

import pytest

from gorod.voting import errors, rules
from gorod.voting.budgets import errors as budget_errors
from gorod.voting.budgets import rules as budget_rules

COSTS = {1: 4_000_000, 2: 3_000_000, 3: 800_000, 4: 5_500_000}


def budget(rule: str = "within_budget", count: int = 0) -> rules.BudgetShape:
    return rules.BudgetShape(budget_roubles=10_000_000, rule=rule, count=count, cost_roubles=COSTS)


def shape(rule: str = "within_budget", count: int = 0) -> rules.QuestionShape:
    return rules.QuestionShape(
        id=7,
        kind="multiple",
        max_choices=4,
        allow_other=False,
        option_ids=frozenset(COSTS),
        budget=budget(rule, count),
    )


def cast(option_ids: tuple[int, ...], rule: str = "within_budget", count: int = 0) -> str:
    cleaned = rules.clean_ballot([shape(rule, count)], [rules.Answer(question_id=7, option_ids=option_ids)])
    return rules.canonical_choices(cleaned)


def test_a_choice_that_fits_the_budget_is_taken_exactly_at_the_limit_too():
    assert cast((1, 2, 3)) == "7=1,2,3"  # 7.8 M of 10 M
    assert cast((2, 3)) == "7=2,3"
    # 4.0 + 5.5 = 9.5 M; with 0.8 M: 10.3 M
    assert cast((1, 4)) == "7=1,4"
    exact = rules.BudgetShape(budget_roubles=9_500_000, rule="within_budget", count=0, cost_roubles=COSTS)
    rules.check_budget(exact, (1, 4), field="q7")  # equal to the budget: allowed


def test_over_the_budget_is_refused_with_the_totals():
    with pytest.raises(errors.OverBudget) as refused:
        cast((1, 3, 4))  # 10.3 M
    assert refused.value.details == {"total": 10_300_000, "budget": 10_000_000}
    assert refused.value.code == "over_budget" and refused.value.status == 409


def test_at_least_n_projects_within_the_budget():
    assert cast((1, 2), "min_projects", 2) == "7=1,2"
    with pytest.raises(errors.TooFewProjects):
        cast((4,), "min_projects", 2)
    with pytest.raises(errors.OverBudget):
        cast((1, 3, 4), "min_projects", 2)


def test_exactly_n_projects_whatever_they_cost():
    assert cast((1, 4), "fixed_count", 2) == "7=1,4"
    # 4 + 3 + 5.5 = 12.5 M > 10 M, but this rule does not count money
    assert cast((1, 2, 4), "fixed_count", 3) == "7=1,2,4"
    with pytest.raises(errors.WrongProjectCount):
        cast((1,), "fixed_count", 2)
    with pytest.raises(errors.WrongProjectCount):
        cast((1, 2, 3), "fixed_count", 2)


def test_funding_is_greedy_by_votes_and_skips_what_does_not_fit():
    lines = budget_rules.fund(
        [
            budget_rules.Candidate(1, votes=120, cost_roubles=6_000_000),
            budget_rules.Candidate(2, votes=100, cost_roubles=5_000_000),  # 4 M left: skipped
            budget_rules.Candidate(3, votes=80, cost_roubles=3_000_000),  # fits: 1 M left
            budget_rules.Candidate(4, votes=0, cost_roubles=500_000),  # no votes: never funded
        ],
        10_000_000,
    )
    assert [(line.project_id, line.funded, line.remaining_roubles) for line in lines] == [
        (1, True, 4_000_000),
        (2, False, 4_000_000),
        (3, True, 1_000_000),
        (4, False, 1_000_000),
    ]


def test_ties_go_to_the_cheaper_project_then_the_earlier_one():
    lines = budget_rules.fund(
        [
            budget_rules.Candidate(5, votes=9, cost_roubles=7_000_000),
            budget_rules.Candidate(2, votes=9, cost_roubles=3_000_000),
            budget_rules.Candidate(9, votes=9, cost_roubles=3_000_000),
        ],
        10_000_000,
    )
    assert [(line.project_id, line.funded) for line in lines] == [(2, True), (9, True), (5, False)]


def test_a_project_costing_more_than_the_whole_budget_is_refused_when_proposed():
    budget_rules.check_project_cost(cost_roubles=10_000_000, budget_roubles=10_000_000)
    with pytest.raises(budget_errors.ProjectOverBudget) as refused:
        budget_rules.check_project_cost(cost_roubles=10_000_001, budget_roubles=10_000_000)
    assert refused.value.code == "project_over_budget"
    with pytest.raises(budget_errors.CostInvalid):
        budget_rules.check_project_cost(cost_roubles=0, budget_roubles=10_000_000)
    # and were it funded by hand-made data, the greedy rule would still skip it
    (line,) = budget_rules.fund([budget_rules.Candidate(1, votes=50, cost_roubles=11_000_000)], 10_000_000)
    assert not line.funded and line.remaining_roubles == 10_000_000


def test_phases_move_forward_one_at_a_time():
    budget_rules.check_phase_move("proposals", "review")
    budget_rules.check_phase_move("results", "implementation")
    for bad in [("proposals", "voting"), ("voting", "review"), ("implementation", "proposals")]:
        with pytest.raises(budget_errors.PhaseMoveInvalid):
            budget_rules.check_phase_move(*bad)


def test_voting_needs_every_project_reviewed_and_enough_feasible():
    budget_rules.check_ready_to_vote(
        reviews=["feasible", "feasible", "rejected"], rule="within_budget", rule_count=0
    )
    with pytest.raises(budget_errors.ProjectsNotReviewed):
        budget_rules.check_ready_to_vote(
            reviews=["feasible", "pending", "feasible"], rule="within_budget", rule_count=0
        )
    with pytest.raises(budget_errors.TooFewFeasible):
        budget_rules.check_ready_to_vote(reviews=["feasible", "rejected"], rule="within_budget", rule_count=0)
    with pytest.raises(budget_errors.TooFewFeasible):
        budget_rules.check_ready_to_vote(reviews=["feasible"] * 2, rule="fixed_count", rule_count=3)


def test_the_promised_date_is_the_end_of_the_year_or_of_the_next():
    assert budget_rules.promised_by(dt.date(2027, 5, 31)) == dt.date(2027, 12, 31)
    assert budget_rules.promised_by(dt.date(2027, 10, 2)) == dt.date(2027, 12, 31)  # 90 days left
    assert budget_rules.promised_by(dt.date(2027, 10, 3)) == dt.date(2028, 12, 31)  # 89
    assert budget_rules.promised_by(dt.date(2027, 12, 31)) == dt.date(2028, 12, 31)


def test_a_budget_question_must_be_well_formed():
    ok = {"budget_roubles": 10, "rule": "within_budget", "count": 0, "costs_roubles": [1, 2], "options": 2}
    assert rules.budget_question_ok(**ok, kind="multiple", allow_other=False)
    assert not rules.budget_question_ok(**ok, kind="single", allow_other=False)
    assert not rules.budget_question_ok(**ok, kind="multiple", allow_other=True)
    assert not rules.budget_question_ok(**{**ok, "costs_roubles": [1, 0]}, kind="multiple", allow_other=False)
    assert not rules.budget_question_ok(
        **{**ok, "rule": "fixed_count", "count": 3}, kind="multiple", allow_other=False
    )
