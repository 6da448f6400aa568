"""A participatory budget round from proposals to funded decisions through the services and the
API: the ballot is the poll engine's (receipts, Merkle root, points), the budget rule refuses
over-budget ballots in the API with nothing written, a resident outside the round's district
is refused, and the funding follows the votes. Operators only for the writes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from gorod.accounts.models import AccountLevel
from gorod.accounts.tests.factories import DistrictFactory, ResidentFactory
from gorod.core.errors import PermissionDenied
from gorod.points import selectors as points_selectors
from gorod.voting import mix, rules
from gorod.voting import services as poll_services
from gorod.voting.budgets import errors, services
from gorod.voting.budgets.models import BudgetProject, BudgetRound
from gorod.voting.models import Decision, Participation, PendingBallot, Poll

from .conftest import proves_receipt

pytestmark = pytest.mark.django_db


@pytest.fixture
def district():
    return DistrictFactory()


@pytest.fixture
def budget_round(operator, district):
    now = timezone.now()
    created = services.round_create(
        actor=operator,
        title="Arbat 2027",
        budget_roubles=10_000_000,
        district=district,
        voting_opens_at=now - dt.timedelta(hours=1),
        voting_closes_at=now + dt.timedelta(days=14),
    )
    for title, cost in [
        ("Playground", 4_000_000),
        ("Lighting", 3_000_000),
        ("Racks", 800_000),
        ("Toilet", 5_500_000),
    ]:
        services.project_add(round_id=created.pk, actor=operator, title=title, cost_roubles=cost)
    services.project_add(round_id=created.pk, actor=operator, title="Rink on a roof", cost_roubles=9_000_000)
    return created


def _to_voting(budget_round: BudgetRound, operator) -> BudgetRound:
    services.round_advance(round_id=budget_round.pk, actor=operator)
    for project in budget_round.projects.all():
        if project.title == "Rink on a roof":
            services.project_review(
                project_id=project.pk, actor=operator, feasible=False, reason="Private roof."
            )
        else:
            services.project_review(project_id=project.pk, actor=operator, feasible=True)
    return services.round_advance(round_id=budget_round.pk, actor=operator)


def _options(budget_round: BudgetRound) -> dict[str, int]:
    return {p.title: p.option_id for p in budget_round.projects.filter(option__isnull=False)}


def _answer(budget_round: BudgetRound, *titles: str) -> list[rules.Answer]:
    poll = Poll.objects.get(pk=budget_round.poll_id)
    question = poll.questions.get()
    options = _options(budget_round)
    return [rules.Answer(question_id=question.pk, option_ids=tuple(options[t] for t in titles))]


def test_a_round_from_proposals_to_funded_decisions(operator, budget_round, district):
    budget_round = _to_voting(budget_round, operator)
    poll = Poll.objects.get(pk=budget_round.poll_id)
    assert poll.status == "open"
    (question,) = poll.questions.all()
    assert question.budget_roubles == 10_000_000 and question.kind == "multiple"
    # the rejected project is not on the ballot, and keeps its reason
    rink = BudgetProject.objects.get(title="Rink on a roof")
    assert rink.option_id is None and rink.review == "rejected" and rink.review_reason == "Private roof."
    assert sorted(o.cost_roubles for o in question.options.all()) == [
        800_000,
        3_000_000,
        4_000_000,
        5_500_000,
    ]

    picks = [("Playground", "Lighting"), ("Playground", "Toilet"), ("Lighting", "Racks"), ("Toilet", "Racks")]
    codes = []
    voters = []
    for i in range(12):
        voter = ResidentFactory(home_district=district)
        voters.append(voter)
        receipt = poll_services.ballot_cast(
            poll_id=poll.pk, resident=voter, answers=_answer(budget_round, *picks[i % len(picks)])
        )
        codes.append(receipt.code)
    # points for voting under the poll's earning rule
    assert points_selectors.balance(voters[0]).balance == 20

    budget_round = services.round_advance(round_id=budget_round.pk, actor=operator)  # results, early close
    poll.refresh_from_db()
    assert poll.status == "published" and poll.ballot_count == 12
    assert all(proves_receipt(poll, code) for code in codes)
    # votes: Playground 6, Lighting 6, Toilet 6, Racks 6 → all tie at 6: cheapest first
    # Racks 0.8 (9.2 left), Lighting 3.0 (6.2), Playground 4.0 (2.2), Toilet 5.5 skipped
    lines = budget_round.funding["lines"]
    titles = {p.pk: p.title for p in budget_round.projects.all()}
    assert [(titles[line["project_id"]], line["votes"], line["funded"]) for line in lines] == [
        ("Racks", 6, True),
        ("Lighting", 6, True),
        ("Playground", 6, True),
        ("Toilet", 6, False),
    ]
    assert lines[-1]["remaining_roubles"] == 2_200_000

    services.round_advance(round_id=budget_round.pk, actor=operator)  # implementation
    decisions = Decision.objects.filter(poll=poll).order_by("title")
    assert [d.title for d in decisions] == ["Lighting", "Playground", "Racks"]
    assert all(
        d.planned_on is not None and d.planned_on.month == 12 and d.planned_on.day == 31 for d in decisions
    )
    assert BudgetProject.objects.get(title="Toilet").decision_id is None
    with pytest.raises(errors.PhaseMoveInvalid):
        services.round_advance(round_id=budget_round.pk, actor=operator)


def test_an_over_budget_ballot_is_refused_in_the_api_and_nothing_is_written(operator, budget_round, district):
    budget_round = _to_voting(budget_round, operator)
    resident = ResidentFactory(home_district=district)
    from gorod.accounts import services as accounts_services

    _token, plain = accounts_services.api_token_issue(resident=resident, name="t")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {plain}")
    (answer,) = _answer(budget_round, "Playground", "Toilet", "Racks")  # 10.3 M
    body = {"answers": [{"question_id": answer.question_id, "option_ids": list(answer.option_ids)}]}
    response = client.post(
        f"/api/v1/polls/{budget_round.poll_id}/ballot", body, content_type="application/json"
    )
    assert response.status_code == 409, response.content
    assert response.json()["code"] == "over_budget"
    assert response.json()["details"] == {
        "total": 10_300_000,
        "budget": 10_000_000,
        "field": f"q{answer.question_id}",
    }
    assert not Participation.objects.filter(resident=resident).exists()
    assert not PendingBallot.objects.filter(poll_id=budget_round.poll_id).exists()
    assert points_selectors.balance(resident).balance == 0
    # within the budget, the same resident's ballot is taken
    (answer,) = _answer(budget_round, "Playground", "Toilet")  # 9.5 M
    body = {"answers": [{"question_id": answer.question_id, "option_ids": list(answer.option_ids)}]}
    response = client.post(
        f"/api/v1/polls/{budget_round.poll_id}/ballot", body, content_type="application/json"
    )
    assert response.status_code == 201, response.content


def test_a_resident_outside_the_rounds_district_is_refused(operator, budget_round):
    budget_round = _to_voting(budget_round, operator)
    outsider = ResidentFactory(home_district=DistrictFactory())
    from gorod.voting import errors as poll_errors

    with pytest.raises(poll_errors.PollNotForYou):
        poll_services.ballot_cast(
            poll_id=budget_round.poll_id, resident=outsider, answers=_answer(budget_round, "Racks")
        )
    assert not Participation.objects.filter(resident=outsider).exists()


def test_the_level_of_the_round_applies(operator, district):
    now = timezone.now()
    created = services.round_create(
        actor=operator,
        title="Full accounts only",
        budget_roubles=1_000_000,
        district=district,
        min_level=AccountLevel.FULL,
        voting_opens_at=now - dt.timedelta(hours=1),
        voting_closes_at=now + dt.timedelta(days=3),
    )
    for title in ("A", "B"):
        services.project_add(round_id=created.pk, actor=operator, title=title, cost_roubles=400_000)
    created = _to_voting(created, operator)
    from gorod.voting import errors as poll_errors

    with pytest.raises(poll_errors.LevelTooLow):
        poll_services.ballot_cast(
            poll_id=created.poll_id,
            resident=ResidentFactory(home_district=district, level="standard"),
            answers=_answer(created, "A"),
        )


def test_refusals_change_nothing(operator, budget_round):
    resident = ResidentFactory()
    with pytest.raises(PermissionDenied):
        services.project_add(round_id=budget_round.pk, actor=resident, title="Mine", cost_roubles=1)
    with pytest.raises(errors.ProjectOverBudget):
        services.project_add(
            round_id=budget_round.pk, actor=operator, title="Too big", cost_roubles=10_000_001
        )
    assert budget_round.projects.count() == 5
    # voting cannot start while a project waits for review
    services.round_advance(round_id=budget_round.pk, actor=operator)
    with pytest.raises(errors.ProjectsNotReviewed):
        services.round_advance(round_id=budget_round.pk, actor=operator)
    budget_round.refresh_from_db()
    assert budget_round.phase == "review" and budget_round.poll_id is None
    assert not Poll.objects.exists()
    # proposals are closed now
    with pytest.raises(errors.PhaseWrong):
        services.project_add(round_id=budget_round.pk, actor=operator, title="Late", cost_roubles=1_000)
    project = budget_round.projects.first()
    with pytest.raises(errors.ReviewReasonRequired):
        services.project_review(project_id=project.pk, actor=operator, feasible=False, reason="  ")
    project.refresh_from_db()
    assert project.review == "pending"


def test_round_window_and_rule_are_checked(operator):
    now = timezone.now()
    with pytest.raises(errors.WindowInvalid):
        services.round_create(
            actor=operator, title="X", budget_roubles=1, voting_opens_at=now, voting_closes_at=now
        )
    with pytest.raises(errors.RuleInvalid):
        services.round_create(
            actor=operator,
            title="X",
            budget_roubles=1,
            rule="fixed_count",
            rule_count=0,
            voting_opens_at=now,
            voting_closes_at=now + dt.timedelta(days=1),
        )
    assert not BudgetRound.objects.exists()


def test_the_api_reads_rounds_in_public_and_writes_for_operators_only(operator, budget_round, api_client):
    public = Client()
    listed = public.get("/api/v1/budgets")
    assert listed.status_code == 200 and [r["title"] for r in listed.json()] == ["Arbat 2027"]
    detail = public.get(f"/api/v1/budgets/{budget_round.pk}").json()
    assert detail["phase"] == "proposals" and len(detail["projects"]) == 5 and detail["funding"] is None
    assert public.get("/api/v1/budgets/999999").json()["code"] == "budget_round_not_found"
    refused = api_client.post(f"/api/v1/budgets/{budget_round.pk}/advance")
    assert refused.status_code == 403
    budget_round.refresh_from_db()
    assert budget_round.phase == "proposals"


def test_mixing_keeps_budget_ballots_whole(operator, budget_round, district):
    budget_round = _to_voting(budget_round, operator)
    for _ in range(10):
        poll_services.ballot_cast(
            poll_id=budget_round.poll_id,
            resident=ResidentFactory(home_district=district),
            answers=_answer(budget_round, "Playground", "Racks"),
        )
    mix.ballots_mix(poll_id=budget_round.poll_id, final=True)
    poll = Poll.objects.get(pk=budget_round.poll_id)
    options = _options(budget_round)
    question = poll.questions.get()
    expected = f"{question.pk}={','.join(str(o) for o in sorted([options['Playground'], options['Racks']]))}"
    assert set(poll.ballots.values_list("choices", flat=True)) == {expected}
