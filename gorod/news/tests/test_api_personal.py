"""Issue 26: what the news pages personalise for a signed-in resident, the API personalises for a
bearer-token client too (the services catalogue, the feed), and what one follows for the daily
digest can be read and set through the API as on the follow page."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from gorod.accounts.tests.factories import DistrictFactory
from gorod.news import services
from gorod.news.models import CityService, Follow, Topic
from gorod.news.tests.conftest import make_item

pytestmark = pytest.mark.django_db


def _services() -> None:
    culture, transport = Topic.objects.get(code="culture"), Topic.objects.get(code="transport")
    services.city_service_save(
        service=CityService(name="Museums", description="Tickets", category=culture, link="/m/"), actor=None
    )
    services.city_service_save(
        service=CityService(
            name="Parking", description="Pay", category=transport, audience="drivers", link="/p/"
        ),
        actor=None,
    )


def test_services_catalogue_puts_mine_first_for_a_token_as_the_page_does(api_client, resident, client):
    _services()
    services.interests_update(resident=resident, car_plate="А123ВС77")
    mine = api_client.get("/api/v1/news/services").json()
    assert [(s["name"], s["for_you"]) for s in mine] == [("Parking", True), ("Museums", False)]
    # the page, signed in by session, orders the same way
    client.force_login(resident)
    page = client.get("/news/services/").content.decode()
    assert page.index("Parking") < page.index("Museums")
    anonymous = Client().get("/api/v1/news/services").json()
    assert [(s["name"], s["for_you"]) for s in anonymous] == [("Museums", False), ("Parking", False)]


def test_feed_for_a_token_follows_the_residents_interests(api_client, resident):
    make_item("Road works", topics=["roads"], hours_ago=5)
    make_item("Concert", topics=["culture"], hours_ago=1)
    assert api_client.get("/api/v1/news/feed").json()["items"][0]["item"]["title"] == "Concert"
    services.interests_update(resident=resident, car_plate="А123ВС77")
    first = api_client.get("/api/v1/news/feed").json()["items"][0]
    assert first["item"]["title"] == "Road works" and first["reasons"] == ["because you added a car"]


def test_follows_read_and_set_through_the_api(api_client, resident):
    arbat = DistrictFactory(code="arbat-api", name="Arbat")
    assert api_client.get("/api/v1/news/follows").json() == {"topics": [], "district_ids": []}
    body = {"topics": ["transport", "roads"], "district_ids": [arbat.pk]}
    saved = api_client.put("/api/v1/news/follows", json.dumps(body), content_type="application/json")
    assert saved.status_code == 200
    assert saved.json() == {"topics": ["roads", "transport"], "district_ids": [arbat.pk]}
    assert Follow.objects.filter(resident=resident).count() == 3
    # the page shows the same choices ticked
    assert api_client.get("/api/v1/news/follows").json() == saved.json()
    only_roads = {"topics": ["roads"], "district_ids": []}
    api_client.put("/api/v1/news/follows", json.dumps(only_roads), content_type="application/json")
    assert api_client.get("/api/v1/news/follows").json() == only_roads


@pytest.mark.parametrize(
    "body,field",
    [
        ({"topics": ["roads", "no-such-topic"], "district_ids": []}, "topics"),
        ({"topics": ["roads"], "district_ids": [2_000_000]}, "district_ids"),
    ],
)
def test_an_unknown_topic_or_district_refuses_the_whole_list(api_client, resident, body, field):
    api_client.put(
        "/api/v1/news/follows",
        json.dumps({"topics": ["transport"], "district_ids": []}),
        content_type="application/json",
    )
    refused = api_client.put("/api/v1/news/follows", json.dumps(body), content_type="application/json")
    assert refused.status_code == 409
    assert refused.json()["code"] == "news_unknown_follow" and refused.json()["details"]["field"] == field
    assert api_client.get("/api/v1/news/follows").json() == {"topics": ["transport"], "district_ids": []}


def test_follows_need_a_resident(db):
    assert Client().get("/api/v1/news/follows").status_code == 401
    put = Client().put("/api/v1/news/follows", "{}", content_type="application/json")
    assert put.status_code == 401 and not Follow.objects.exists()
