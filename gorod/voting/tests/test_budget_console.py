"""The console's budget round form takes the round's buildings (ids, as a poll's target
buildings) and passes them to the service; once made, they are shown read-only; the project list
links each project to its place-and-image page."""

from __future__ import annotations

import pytest
from django.test import Client

from gorod.voting.budgets.models import BudgetRound, BudgetRoundBuilding

pytestmark = pytest.mark.django_db


def _form(building_ids: str) -> dict:
    return {
        "title": "Two courtyards",
        "description": "",
        "budget_roubles": "1000000",
        "rule": "within_budget",
        "rule_count": "0",
        "min_level": "simplified",
        "building_ids": building_ids,
        "voting_opens_at_0": "2027-01-10",
        "voting_opens_at_1": "10:00:00",
        "voting_closes_at_0": "2027-01-20",
        "voting_closes_at_1": "10:00:00",
    }


def test_a_round_for_buildings_from_the_console(operator):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(operator)
    refused = client.post("/console/voting/budgetround/add/", _form("41, x"))
    assert refused.status_code == 200 and "Give building ids as whole numbers." in refused.content.decode()
    assert not BudgetRound.objects.exists()
    made = client.post("/console/voting/budgetround/add/", _form("42, 41 42"))
    assert made.status_code == 302, made.content.decode()[:2000]
    budget_round = BudgetRound.objects.get()
    assert sorted(BudgetRoundBuilding.objects.values_list("building_id", flat=True)) == [41, 42]
    change = client.get(f"/console/voting/budgetround/{budget_round.pk}/change/").content.decode()
    assert "41, 42" in change
    saved = client.post(
        f"/console/voting/budgetround/{budget_round.pk}/change/",
        {"title": "Two courtyards, renamed", "description": ""},
    )
    assert saved.status_code == 302
    assert BudgetRoundBuilding.objects.count() == 2
    projects = client.get("/console/voting/budgetproject/").status_code
    assert projects == 200
