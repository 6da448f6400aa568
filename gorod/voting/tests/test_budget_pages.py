"""The participatory budget's pages in both languages: the demo's five rounds, one per phase;
the ballot shows each project's cost and the running total; the operator's phase move states its
consequences and happens only on POST; a resident gets nothing of the operator's pages."""

from __future__ import annotations

import pytest
from django.test import Client

from gorod.accounts.tests.factories import ResidentFactory
from gorod.voting.budgets.models import BudgetProject, BudgetRound

from .test_budgets import _to_voting, budget_round, district  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def _client(lang: str, user=None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_round_pages_read_in_both_languages(lang, operator, budget_round):  # noqa: F811
    page = _client(lang).get("/voting/budgets/")
    assert page.status_code == 200 and "Arbat 2027" in page.content.decode()
    detail = _client(lang).get(f"/voting/budgets/{budget_round.pk}/").content.decode()
    word = {"ru": "Бюджет", "en": "Budget"}[lang]
    assert f"{word}: 10" in detail
    assert {"ru": "10\xa0000\xa0000\xa0₽", "en": "10,000,000\xa0₽"}[lang] in detail
    assert {"ru": "ожидает проверки", "en": "awaiting review"}[lang] in detail


def test_the_ballot_shows_costs_and_the_total_and_refuses_over_budget(operator, budget_round, district):  # noqa: F811
    budget_round = _to_voting(budget_round, operator)
    voter = ResidentFactory(home_district=district)
    client = _client("en", voter)
    page = client.get(f"/voting/polls/{budget_round.poll_id}/").content.decode()
    assert 'data-cost="4000000"' in page and "4,000,000\xa0₽" in page
    assert 'data-testid="budget-total"' in page
    options = {p.title: p.option_id for p in BudgetProject.objects.filter(option__isnull=False)}
    question = budget_round.poll.questions.get()
    refused = client.post(
        f"/voting/polls/{budget_round.poll_id}/ballot/",
        {f"q{question.pk}": [options["Playground"], options["Toilet"], options["Racks"]]},
    )
    assert refused.status_code == 409
    text = refused.content.decode()
    assert "10,300,000\xa0₽" in text and "more than the budget" in text
    # the ticks are kept for the resident to change
    assert text.count("checked") >= 3


def test_the_phase_move_states_its_consequences_and_moves_only_on_post(operator, budget_round):  # noqa: F811
    client = _client("ru", operator)
    page = client.get(f"/voting/budgets/{budget_round.pk}/advance/")
    assert page.status_code == 200
    assert "Приём предложений закрывается" in page.content.decode()
    budget_round.refresh_from_db()
    assert budget_round.phase == "proposals"
    moved = client.post(f"/voting/budgets/{budget_round.pk}/advance/")
    assert moved.status_code == 302
    budget_round.refresh_from_db()
    assert budget_round.phase == "review"


def test_a_resident_gets_nothing_of_the_operators_pages(budget_round):  # noqa: F811
    client = _client("en", ResidentFactory())
    assert client.get(f"/voting/budgets/{budget_round.pk}/advance/").status_code == 404
    assert client.post(f"/voting/budgets/{budget_round.pk}/advance/").status_code == 404
    project = budget_round.projects.first()
    assert client.post(f"/voting/budgets/projects/{project.pk}/review/", {"feasible": "1"}).status_code == 404
    project.refresh_from_db()
    assert project.review == "pending"
    assert BudgetRound.objects.get(pk=budget_round.pk).phase == "proposals"
