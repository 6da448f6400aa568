"""An accepted idea carried into a participatory budget round (issue 27): by an operator, once,
only while the round collects proposals; refusals change nothing; on the page and in the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from gorod.accounts import services as accounts_services
from gorod.accounts.tests.factories import ResidentFactory
from gorod.core.errors import PermissionDenied
from gorod.ideas import services
from gorod.ideas.errors import IdeaAlreadyInBudget, IdeaNotAccepted
from gorod.ideas.models import Idea, IdeaStatus, Project, Stage
from gorod.voting.budgets import errors as budget_errors
from gorod.voting.budgets import services as budget_services
from gorod.voting.budgets.models import BudgetProject

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(db):
    return ResidentFactory(level="full", roles=["operator"], is_staff=True)


@pytest.fixture
def budget_round(operator):
    now = timezone.now()
    return budget_services.round_create(
        actor=operator,
        title="Parks 2027",
        budget_roubles=5_000_000,
        voting_opens_at=now + dt.timedelta(days=20),
        voting_closes_at=now + dt.timedelta(days=40),
    )


def _idea(operator, accepted: bool = True) -> Idea:
    project = Project.objects.create(
        title="Parks", topic="Parks", description="Ideas", organisation="Parks Dept"
    )
    author = ResidentFactory()
    idea = services.idea_submit(
        project=project, author=author, title="Drinking fountains", text="In every park"
    )
    services.idea_moderate(idea_id=idea.pk, moderator=operator, approve=True)
    if accepted:
        Project.objects.filter(pk=project.pk).update(stage=Stage.REVIEW)
        services.idea_decide(idea_id=idea.pk, expert=operator, outcome="accepted", reason="Useful")
    return Idea.objects.get(pk=idea.pk)


def test_an_accepted_idea_becomes_a_project_once(operator, budget_round):
    idea = _idea(operator)
    project = services.idea_to_budget(
        idea_id=idea.pk, round_id=budget_round.pk, cost_roubles=1_200_000, actor=operator
    )
    assert (project.title, project.idea_id, project.cost_roubles, project.review) == (
        "Drinking fountains",
        idea.pk,
        1_200_000,
        "pending",
    )
    with pytest.raises(IdeaAlreadyInBudget):
        services.idea_to_budget(idea_id=idea.pk, round_id=budget_round.pk, cost_roubles=1, actor=operator)
    assert BudgetProject.objects.count() == 1


def test_refusals_change_nothing(operator, budget_round):
    open_idea = _idea(operator, accepted=False)
    assert open_idea.status == IdeaStatus.PUBLISHED
    with pytest.raises(IdeaNotAccepted):
        services.idea_to_budget(
            idea_id=open_idea.pk, round_id=budget_round.pk, cost_roubles=1, actor=operator
        )
    idea = _idea(operator)
    with pytest.raises(PermissionDenied):
        services.idea_to_budget(
            idea_id=idea.pk, round_id=budget_round.pk, cost_roubles=1, actor=ResidentFactory()
        )
    with pytest.raises(budget_errors.ProjectOverBudget):
        services.idea_to_budget(
            idea_id=idea.pk, round_id=budget_round.pk, cost_roubles=5_000_001, actor=operator
        )
    budget_services.round_advance(round_id=budget_round.pk, actor=operator)  # proposals closed
    with pytest.raises(budget_errors.PhaseWrong):
        services.idea_to_budget(idea_id=idea.pk, round_id=budget_round.pk, cost_roubles=1_000, actor=operator)
    assert not BudgetProject.objects.exists()


def test_on_the_idea_page_and_in_the_api(operator, budget_round):
    idea = _idea(operator)
    client = Client()
    client.force_login(operator)
    page = client.get(f"/ideas/{idea.pk}/").content.decode()
    assert "Propose for the participatory budget" in page and "Parks 2027" in page
    moved = client.post(
        f"/ideas/{idea.pk}/budget/", {"round": budget_round.pk, "cost_roubles": "1 500\xa0000"}
    )  # as typed in Russian
    assert moved.status_code == 302 and moved.url == f"/voting/budgets/{budget_round.pk}/"
    assert BudgetProject.objects.get(idea_id=idea.pk).cost_roubles == 1_500_000
    # done: the form is gone
    assert "Propose for the participatory budget" not in client.get(f"/ideas/{idea.pk}/").content.decode()

    other = _idea(operator)
    _token, plain = accounts_services.api_token_issue(resident=operator, name="t")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {plain}")
    url = f"/api/v1/ideas/{other.pk}/budget-project"
    created = api.post(
        url, {"round_id": budget_round.pk, "cost_roubles": 900_000}, content_type="application/json"
    )
    assert created.status_code == 201, created.content
    assert created.json()["idea_id"] == other.pk
    again = api.post(
        url, {"round_id": budget_round.pk, "cost_roubles": 900_000}, content_type="application/json"
    )
    assert again.status_code == 409 and again.json()["code"] == "idea_already_in_budget"
    resident = ResidentFactory()
    _token, plain = accounts_services.api_token_issue(resident=resident, name="t")
    third = _idea(operator)
    refused = Client(HTTP_AUTHORIZATION=f"Bearer {plain}").post(
        f"/api/v1/ideas/{third.pk}/budget-project",
        {"round_id": budget_round.pk, "cost_roubles": 900_000},
        content_type="application/json",
    )
    assert refused.status_code == 403
    assert not BudgetProject.objects.filter(idea_id=third.pk).exists()


def test_the_idea_brings_its_place_on_the_page_and_in_the_api_and_a_bad_place_writes_nothing(
    operator, budget_round
):
    from decimal import Decimal

    from gorod.accounts.models import Address
    from gorod.accounts.tests.factories import DistrictFactory

    address = Address.objects.create(
        text="Park lane, 3", district=DistrictFactory(), latitude=Decimal("55.7"), longitude=Decimal("37.5")
    )
    idea = _idea(operator)
    client = Client()
    client.force_login(operator)
    assert "data-place-pick" in client.get(f"/ideas/{idea.pk}/").content.decode()
    moved = client.post(
        f"/ideas/{idea.pk}/budget/",
        {"round": budget_round.pk, "cost_roubles": "700000", "address_id": str(address.pk)},
    )
    assert moved.status_code == 302
    project = BudgetProject.objects.get(idea_id=idea.pk)
    assert project.address_id == address.pk and project.location["coordinates"] == [37.5, 55.7]
    # in the API: a point, and an unknown address refused with nothing written
    _token, plain = accounts_services.api_token_issue(resident=operator, name="t")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {plain}")
    other = _idea(operator)
    url = f"/api/v1/ideas/{other.pk}/budget-project"
    refused = api.post(
        url,
        {"round_id": budget_round.pk, "cost_roubles": 1_000, "address_id": 999_999},
        content_type="application/json",
    )
    assert refused.status_code == 422 and refused.json()["code"] == "address_unknown"
    assert not BudgetProject.objects.filter(idea_id=other.pk).exists()
    created = api.post(
        url,
        {"round_id": budget_round.pk, "cost_roubles": 1_000, "latitude": 55.76, "longitude": 37.62},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert BudgetProject.objects.get(idea_id=other.pk).location["coordinates"] == [37.62, 55.76]
