"""Addresses, not coordinates: the report's place comes from the city's own address register."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from gorod.accounts.models import Address
from gorod.accounts.tests.factories import DistrictFactory
from gorod.problems.models import Report
from gorod.problems.tests.conftest import TEXT

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(district):
    """Three houses of the test district and one seed address translated by the catalogue."""
    other = DistrictFactory(code="arbat-test", name="Arbat", boundary=None)
    return {
        "lenina5": Address.objects.create(
            text="ул. Ленина, 5",
            district=district,
            latitude=Decimal("40.510000"),
            longitude=Decimal("20.510000"),
        ),
        "lenina7": Address.objects.create(
            text="ул. Ленина, 7",
            district=district,
            latitude=Decimal("40.520000"),
            longitude=Decimal("20.520000"),
        ),
        "garden": Address.objects.create(
            text="Garden Ring, 1",
            district=district,
            latitude=Decimal("40.530000"),
            longitude=Decimal("20.530000"),
        ),
        # inside the test box too, so that a report there has a district
        "arbat": Address.objects.create(
            text="Arbat St, 10", district=other, latitude=Decimal("40.540000"), longitude=Decimal("20.540000")
        ),
    }


def signed_in(resident) -> Client:
    client = Client()
    client.force_login(resident)
    return client


def test_api_suggests_register_addresses_with_their_coordinates(register):
    response = Client().get("/api/v1/problems/addresses", {"q": "ленина 7"})
    assert response.status_code == 200
    assert response.json() == [
        {
            "id": register["lenina7"].pk,
            "address": "ул. Ленина, 7",
            "district": "Test district",
            "latitude": 40.52,
            "longitude": 20.52,
        }
    ]
    # lower case Cyrillic finds the capitalised register text on SQLite as on PostgreSQL
    found = Client().get("/api/v1/problems/addresses", {"q": "ленина"}).json()
    assert [a["id"] for a in found] == [register["lenina5"].pk, register["lenina7"].pk]
    # a district's name finds its addresses
    found = Client().get("/api/v1/problems/addresses", {"q": "test district garden"}).json()
    assert [a["id"] for a in found] == [register["garden"].pk]


def test_api_search_in_the_readers_language(register):
    """The seed address is stored in English and read in Russian: typed in Russian, it is found."""
    response = Client().get("/api/v1/problems/addresses", {"q": "арбат 10"}, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 200
    assert [(a["id"], a["address"]) for a in response.json()] == [(register["arbat"].pk, "ул. Арбат, 10")]


def test_api_refuses_a_too_short_query_as_its_document_says(register):
    # the document's pattern asks for two letters or digits, so the refusal is the schema's
    response = Client().get("/api/v1/problems/addresses", {"q": " 5,"})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"
    assert [e["field"] for e in response.json()["details"]["errors"]] == ["q"]
    assert Client().get("/api/v1/problems/addresses", {"q": "5 а"}).status_code == 200


def test_openapi_documents_the_search_and_its_refusal():
    document = Client().get("/api/v1/openapi.json").json()
    operation = document["paths"]["/api/v1/problems/addresses"]["get"]
    assert "address_query_too_short" in operation["responses"]["422"]["description"]
    assert "latitude" not in document["components"]["schemas"].get("ReportIn", {}).get("required", [])


def test_api_files_a_report_at_a_register_address(author, topic, register):
    response = signed_in(author).post(
        "/api/v1/problems/reports",
        {"topic": topic.code, "building_id": register["lenina5"].pk, "text": TEXT},
    )
    assert response.status_code == 201, response.content
    report = Report.objects.get()
    assert (report.latitude, report.longitude) == (Decimal("40.510000"), Decimal("20.510000"))
    assert report.building_id == register["lenina5"].pk and report.address_text == "ул. Ленина, 5"


def test_api_refuses_a_report_without_a_place_and_stores_nothing(author, topic, register):
    response = signed_in(author).post("/api/v1/problems/reports", {"topic": topic.code, "text": TEXT})
    assert response.status_code == 422
    assert response.json()["code"] == "place_missing"
    assert Report.objects.count() == 0


def test_site_suggestions_fragment(register):
    response = Client().get("/problems/addresses/", {"q": "Ленина"})
    page = response.content.decode()
    assert response.status_code == 200
    assert f'data-id="{register["lenina5"].pk}"' in page and 'data-lat="40.510000"' in page
    assert "No such address" in Client().get("/problems/addresses/", {"q": "nowhere street"}).content.decode()


def test_filing_form_has_no_coordinate_fields_to_type(author, topic):
    page = signed_in(author).get("/problems/new/").content.decode()
    assert 'type="hidden" name="latitude"' in page and 'type="hidden" name="longitude"' in page
    assert 'hx-get="/problems/addresses/"' in page


def test_filing_form_takes_the_chosen_address(author, topic, register):
    response = signed_in(author).post(
        "/problems/new/",
        {"topic": topic.code, "address": "ул. Ленина, 7", "address_id": register["lenina7"].pk, "text": TEXT},
    )
    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.latitude, report.longitude, report.building_id) == (
        Decimal("40.520000"),
        Decimal("20.520000"),
        register["lenina7"].pk,
    )


def test_filing_form_without_javascript_finds_the_one_address_typed(author, topic, register):
    response = signed_in(author).post(
        "/problems/new/", {"topic": topic.code, "address": "ленина 5", "text": TEXT}
    )
    assert response.status_code == 302
    assert Report.objects.get().building_id == register["lenina5"].pk


def test_filing_form_asks_which_address_when_several_match_and_stores_nothing(author, topic, register):
    response = signed_in(author).post(
        "/problems/new/", {"topic": topic.code, "address": "Ленина", "text": TEXT}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Which address do you mean?" in page
    assert f'name="address_id" value="{register["lenina5"].pk}"' in page
    assert Report.objects.count() == 0


def test_filing_form_refuses_without_a_place(author, topic, register):
    response = signed_in(author).post("/problems/new/", {"topic": topic.code, "text": TEXT})
    assert response.status_code == 200
    assert (
        "Choose the address from the suggestions or mark the place on the map." in response.content.decode()
    )
    assert Report.objects.count() == 0


def test_a_map_click_still_sets_the_place(author, topic):
    response = signed_in(author).post(
        "/problems/new/",
        {
            "topic": topic.code,
            "latitude": "40.500000",
            "longitude": "20.500000",
            "text": TEXT,
            "address": "Yard",
        },
    )
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.building_id is None and report.address_text == "Yard"


def test_report_page_shows_the_place_on_a_map(author, topic, register):
    signed_in(author).post(
        "/problems/new/", {"topic": topic.code, "address_id": register["garden"].pk, "text": TEXT}
    )
    report = Report.objects.get()
    page = signed_in(author).get(f"/problems/{report.pk}/").content.decode()
    assert 'data-place-map data-lat="40.530000" data-lon="20.530000"' in page
