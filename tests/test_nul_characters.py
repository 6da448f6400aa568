"""A NUL character in any text of a request is refused once, before any view: PostgreSQL's text
cannot hold one, so a NUL that reached a filter or an insert was a 500 on 15 API operations and
on /news/ (found by schemathesis against gunicorn on PostgreSQL; SQLite accepts NUL)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from gorod.news.models import Interests


def _refused_by_the_api(response) -> bool:
    return response.status_code == 422 and response.json()["code"] == "invalid_characters"


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/rewards/catalogue?category=G%00X",
        "/api/v1/pets/notices?%00=1",
        "/api/v1/news/services?q=%00",
        "/api/v1/polls/1/receipts/AB%00CD",
    ],
)
def test_api_refuses_nul_in_the_query_string_and_path(db, url):
    assert _refused_by_the_api(Client().get(url))


def test_api_refuses_nul_in_a_json_string_or_key_and_stores_nothing(api_client):
    for body in ({"car_plate": "a123\u0000bc77"}, {"car_plate": "a123bc77", "\u0000": 1}):
        response = api_client.put("/api/v1/news/interests", json.dumps(body), content_type="application/json")
        assert _refused_by_the_api(response), response.content
    assert not Interests.objects.exists()
    # A backslash followed by "u0000" is text like any other, not a NUL.
    escaped = api_client.put(
        "/api/v1/news/interests", json.dumps({"car_plate": "\\u0000"}), content_type="application/json"
    )
    # (refused as a plate, by the document's pattern: not as a NUL)
    assert escaped.status_code == 422 and escaped.json()["code"] == "invalid_input"


def test_api_refuses_nul_in_a_form_field(api_client):
    response = api_client.post("/api/v1/problems/reports", {"text": "Pothole\x00", "latitude": "55.75"})
    assert _refused_by_the_api(response)


def test_site_answers_nul_with_400(client, resident):
    assert client.get("/news/?topic=%00").status_code == 400
    client.force_login(resident)
    assert client.post("/news/interests/", {"car_plate": "A123BC77\x00"}).status_code == 400
    assert not Interests.objects.exists()


def test_open311_answers_nul_in_its_own_error_format(db):
    response = Client().get("/open311/v2/requests.json?service_code=%00")
    assert response.status_code == 400 and response.json()[0]["code"] == 400


@pytest.mark.parametrize(
    "bbox", ["1e308,1e308,1e309,1e309", "nan,0,0,0", "181,0,0,0", "0,91,0,0", "1,2,3", "inf,-inf,0,0"]
)
def test_problem_map_refuses_a_box_outside_the_earth(db, bbox):
    """Found by fuzzing: ``1e308,1e308,1e309,1e309`` was a 500 (infinity reached the database)."""
    response = Client().get("/api/v1/problems/map", {"bbox": bbox})
    assert response.status_code == 422 and response.json()["code"] == "invalid_input"


def test_problem_map_takes_a_box_in_degrees(db):
    response = Client().get("/api/v1/problems/map", {"bbox": "37.3,55.5,37.9,55.95"})
    assert response.status_code == 200 and response.json() == []
