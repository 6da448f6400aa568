"""Neighbour surveys: opened through the API, seen only by the building's residents (site and
API), and their points capped per month so they cannot be farmed (issue 22)."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.test import Client

from gorod.accounts import roles
from gorod.accounts import services as accounts
from gorod.accounts.tests.factories import ResidentFactory
from gorod.housing.surveys.services import survey_create
from gorod.housing.tests.conftest import msk
from gorod.housing.tests.factories import AdministratorFactory, BuildingFactory, LinkFactory, PremiseFactory
from gorod.points import selectors as points
from gorod.points.models import Transfer
from gorod.voting.models import Poll

pytestmark = pytest.mark.django_db

SURVEY = {
    "title": "Paint the entrance?",
    "questions": [{"text": "Which colour?", "options": ["Green", "Blue"]}],
    "days": 7,
}


def bearer(person: Any) -> Client:
    _token, plain = accounts.api_token_issue(resident=person, name="t")
    return Client(HTTP_AUTHORIZATION=f"Bearer {plain}")


def post_survey(person: Any, building: int, **changes: Any) -> Any:
    return bearer(person).post(
        "/api/v1/home/surveys",
        {**SURVEY, "building_id": building, **changes},
        content_type="application/json",
    )


def administrator_of(building: Any) -> Any:
    person = ResidentFactory(level="full", roles=[roles.BUILDING_ADMINISTRATOR], is_staff=True)
    AdministratorFactory(building=building, resident=person)
    return person


def nothing_written() -> bool:
    return not Poll.objects.exists() and not Transfer.objects.exists()


def test_a_resident_opens_a_survey_through_the_api(building, premise, owner):
    response = post_survey(owner, building.pk)
    assert response.status_code == 201, response.content
    body = response.json()
    poll = Poll.objects.get(pk=body["id"])
    assert body["building_id"] == building.pk and body["status"] == "open" == poll.status
    assert poll.kind == "neighbour_survey" and not poll.binding
    assert list(poll.target_buildings.values_list("building_id", flat=True)) == [building.pk]
    assert [o.text for o in poll.questions.get().options.order_by("position")] == ["Green", "Blue"]
    assert points.balance(owner).balance == 10  # survey_create, standard account


def test_the_buildings_administrator_opens_one_without_earning(building):
    administrator = administrator_of(building)
    response = post_survey(administrator, building.pk)
    assert response.status_code == 201, response.content
    assert Poll.objects.count() == 1 and not Transfer.objects.exists()


@pytest.mark.parametrize(
    ("changes", "status", "code"),
    [
        (
            {"questions": [{"text": "Which colour?", "options": ["Green", " green "]}]},
            422,
            "survey_incomplete",
        ),
        ({"questions": [{"text": "Which colour?", "options": ["Green", ""]}]}, 422, "survey_incomplete"),
        ({"questions": [{"text": "   ", "options": ["Green", "Blue"]}]}, 422, "survey_incomplete"),
        ({"title": "   "}, 422, "survey_incomplete"),
        ({"questions": [{"text": "Which colour?", "options": ["Green"]}]}, 422, "invalid_input"),
        ({"questions": []}, 422, "invalid_input"),
        ({"days": 61}, 422, "invalid_input"),
        ({"building_id": 999_999}, 404, "building_not_found"),
    ],
)
def test_a_bad_survey_is_refused_and_nothing_is_written(building, premise, owner, changes, status, code):
    response = post_survey(owner, building.pk, **changes)
    assert (response.status_code, response.json()["code"]) == (status, code)
    assert nothing_written()


def test_only_the_buildings_residents_and_administrator_may_open_one(building, premise):
    other_building = BuildingFactory()
    neighbour_elsewhere = ResidentFactory(level="full")
    LinkFactory(resident=neighbour_elsewhere, premise=PremiseFactory(building=other_building), role="owner")
    for person in (administrator_of(other_building), neighbour_elsewhere, ResidentFactory(level="full")):
        response = post_survey(person, building.pk)
        assert (response.status_code, response.json()["code"]) == (403, "survey_not_allowed")
    anonymous = Client().post(
        "/api/v1/home/surveys", {**SURVEY, "building_id": building.pk}, content_type="application/json"
    )
    assert anonymous.status_code == 401
    assert nothing_written()


def test_a_survey_is_seen_only_by_the_buildings_residents(building, premise, owner):
    poll = survey_create(
        building=building, title="Bikes in the hall?", questions=[("OK?", ["Yes", "No"])], days=7, actor=owner
    )
    neighbour = ResidentFactory()
    LinkFactory(resident=neighbour, premise=PremiseFactory(building=building), role="tenant")
    other_building = BuildingFactory()
    outsider = ResidentFactory(level="full")
    LinkFactory(resident=outsider, premise=PremiseFactory(building=other_building), role="owner")

    def site(client: Client) -> int:
        return client.get(f"/voting/polls/{poll.pk}/").status_code

    def api(client: Client, path: str = "") -> int:
        return client.get(f"/api/v1/polls/{poll.pk}{path}").status_code

    def signed_in(person: Any) -> Client:
        client = Client()
        client.force_login(person)
        return client

    for reader in (signed_in(owner), signed_in(neighbour)):
        assert site(reader) == 200 and api(reader) == 200
    for stranger in (Client(), signed_in(outsider), signed_in(administrator_of(other_building))):
        assert site(stranger) == 404
        assert api(stranger) == 404 and api(stranger, "/results") == 404
    # Nor is it in the public lists (open, finished) or the poll pages' list.
    for status in ("open", "closed", "published"):
        listed = Client().get(f"/api/v1/polls?status={status}").json()["polls"]
        assert poll.pk not in [p["id"] for p in listed]
    assert b"Bikes in the hall?" not in Client().get("/voting/").content
    assert b"Bikes in the hall?" not in signed_in(outsider).get("/voting/").content
    mine = signed_in(neighbour).get("/api/v1/polls").json()["polls"]
    assert poll.pk in [p["id"] for p in mine]


def test_survey_points_are_capped_each_month(building, premise):
    author = ResidentFactory(level="full")
    LinkFactory(resident=author, premise=premise, role="owner")

    def open_one() -> None:
        survey_create(building=building, title="Q", questions=[("Q?", ["Yes", "No"])], days=7, actor=author)

    with time_machine.travel(msk(2026, 11, 10, 12, 0), tick=False):
        for _ in range(4):
            open_one()
    # 20 points a survey at a full account, 40 a month at most: the third and fourth earn nothing.
    assert Poll.objects.count() == 4
    assert points.balance(author).balance == 40
    with time_machine.travel(msk(2026, 12, 1, 9, 0), tick=False):
        open_one()
    assert points.balance(author).balance == 60
