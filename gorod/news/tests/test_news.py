from __future__ import annotations

import json

import pytest
from django.urls import reverse

from gorod.accounts.models import Address
from gorod.accounts.tests.factories import DistrictFactory, ResidentFactory
from gorod.core.errors import PermissionDenied
from gorod.news import rules, selectors, services
from gorod.news.errors import InvalidLink, InvalidPlate
from gorod.news.models import CityService, Interests, Topic
from gorod.news.tests.conftest import make_item
from gorod.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("А123ВС77", "А123ВС77"),
        ("a 123 bc 777", "А123ВС777"),
        ("x001xx 99", "Х001ХХ99"),
        ("М777ОР197", "М777ОР197"),
    ],
)
def test_valid_plates_are_normalised(raw, expected):
    assert rules.normalise_plate(raw) == expected


@pytest.mark.parametrize(
    "raw", ["А000ВС77", "Б123ВС77", "А123ВС7", "А123ВС00", "123АВС77", "А123ВСD77", "hello", "А123ВС0777"]
)
def test_invalid_plates(raw):
    assert rules.normalise_plate(raw) is None


def test_invalid_plate_is_refused_and_nothing_stored(resident):
    with pytest.raises(InvalidPlate) as info:
        services.interests_update(resident=resident, car_plate="ZZ 999", has_pets=True)
    assert info.value.code == "invalid_car_plate"
    assert not Interests.objects.exists()


def test_feed_puts_road_news_first_with_the_reason_after_adding_a_car(resident):
    make_item("Road works", topics=["roads"], hours_ago=5)
    make_item("Concert", topics=["culture"], hours_ago=1)
    before = selectors.feed(resident)
    assert [e.item.title for e in before] == ["Concert", "Road works"]
    services.interests_update(resident=resident, car_plate="А123ВС77")
    after = selectors.feed(resident)
    assert [e.item.title for e in after] == ["Road works", "Concert"]
    assert after[0].reasons == ["because you added a car"]


def test_interest_reasons_for_children_pets_district_and_building(db):
    district = DistrictFactory()
    address = Address.objects.create(text="Main St, 1", district=district, latitude=55.75, longitude=37.6)
    r = ResidentFactory(home_district=district)
    services.interests_update(resident=r, has_children=True, has_pets=True, address=address)
    make_item("School", topics=["education"], hours_ago=3)
    make_item("Vets", topics=["pets"], hours_ago=3)
    make_item("Park here", districts=[district], hours_ago=3)
    make_item("Water off", address=address, hours_ago=3)
    make_item("Elsewhere", districts=[DistrictFactory()], hours_ago=1)
    make_item(
        "Other building", address=Address.objects.create(text="B", district=district, latitude=1, longitude=1)
    )
    feed = selectors.feed(r)
    titles = [e.item.title for e in feed]
    assert titles[0] == "Water off" and "Elsewhere" not in titles and "Other building" not in titles
    reasons = {e.item.title: e.reasons for e in feed}
    assert reasons["School"] == ["because you have children"]
    assert reasons["Vets"] == ["because you have pets"]
    assert reasons["Park here"][0].startswith("because it is in your district")


def test_old_interesting_news_goes_by_recency(resident):
    services.interests_update(resident=resident, car_plate="А123ВС77")
    make_item("Old road news", topics=["roads"], hours_ago=24 * 30)
    make_item("Fresh concert", topics=["culture"], hours_ago=2)
    assert [e.item.title for e in selectors.feed(resident)] == ["Fresh concert", "Old road news"]


def test_building_announcement_notifies_its_residents(db):
    district = DistrictFactory()
    address = Address.objects.create(text="Main St, 2", district=district, latitude=55.75, longitude=37.6)
    neighbour, other = ResidentFactory(), ResidentFactory()
    services.interests_update(resident=neighbour, address=address)
    operator = ResidentFactory(roles=["operator"])
    item = make_item("Lift repair", address=address)
    services.news_item_save(item=item, actor=operator)
    services.news_item_save(item=item, actor=operator)
    assert Notification.objects.filter(kind="building_news").count() == 1
    assert Notification.objects.get(kind="building_news").resident == neighbour
    with pytest.raises(PermissionDenied):
        services.news_item_save(item=item, actor=other)


def test_feed_page_query_count_and_reasons_shown(client, resident, django_assert_max_num_queries):
    services.interests_update(resident=resident, car_plate="А123ВС77")
    for n in range(25):
        make_item(f"Item {n}", topics=["roads"] if n % 3 == 0 else ["culture"], hours_ago=n + 1)
    client.force_login(resident)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("news:feed"))
    body = response.content.decode()
    assert response.status_code == 200 and "Because you added a car" in body


def test_interests_page_refuses_a_bad_plate_next_to_the_field(client, resident):
    client.force_login(resident)
    response = client.post(reverse("news:interests"), {"car_plate": "QQ12"})
    assert response.status_code == 400 and "not a Russian car plate" in response.content.decode()
    assert not Interests.objects.exists()


def test_api_interests_and_feed(api_client, resident):
    make_item("Road works", topics=["roads"], hours_ago=5)
    make_item("Concert", topics=["culture"], hours_ago=1)
    bad = api_client.put(
        "/api/v1/news/interests", json.dumps({"car_plate": "nope"}), content_type="application/json"
    )
    # The document's pattern refuses it before the service would (invalid_car_plate on the site).
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_input"
    ok = api_client.put(
        "/api/v1/news/interests", json.dumps({"car_plate": "a123bc77"}), content_type="application/json"
    )
    assert ok.json()["car_plate"] == "А123ВС77"
    feed = api_client.get("/api/v1/news/feed").json()["items"]
    assert feed[0]["item"]["title"] == "Road works" and feed[0]["reasons"] == ["because you added a car"]
    from django.test import Client

    anonymous = Client().get("/api/v1/news/feed").json()["items"]
    assert anonymous[0]["item"]["title"] == "Concert"


def test_catalogue_search_and_for_you_first(client, resident):
    transport = Topic.objects.get(code="transport")
    services.city_service_save(
        service=CityService(
            name="Museums", description="Tickets", category=Topic.objects.get(code="culture"), link="/x/"
        ),
        actor=None,
    )
    services.city_service_save(
        service=CityService(
            name="Parking",
            description="Pay",
            category=transport,
            audience="drivers",
            link="https://p.example/",
        ),
        actor=None,
    )
    with pytest.raises(InvalidLink):
        services.city_service_save(
            service=CityService(name="Bad", description="x", category=transport, link="javascript:alert(1)"),
            actor=None,
        )
    assert CityService.objects.count() == 2
    assert [e.service.name for e in selectors.catalogue(resident)] == ["Museums", "Parking"]
    services.interests_update(resident=resident, car_plate="А123ВС77")
    entries = selectors.catalogue(resident)
    assert entries[0].service.name == "Parking" and entries[0].for_you
    assert [e.service.name for e in selectors.catalogue(resident, query="museum")] == ["Museums"]
    assert client.get(reverse("news:catalogue"), {"q": "park"}).status_code == 200
