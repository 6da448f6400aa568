from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from gorod.accounts import services as account_services
from gorod.problems import services
from gorod.problems.models import Photo, Report
from gorod.problems.tests.conftest import INSIDE, OUTSIDE, TEXT, upload

pytestmark = pytest.mark.django_db


def client_of(resident: Any) -> Client:
    _token, plain = account_services.api_token_issue(resident=resident, name="tests")
    return Client(HTTP_AUTHORIZATION=f"Bearer {plain}")


def test_file_a_report_with_a_photo(author, photo_topic, media_files):
    response = client_of(author).post(
        "/api/v1/problems/reports",
        {
            "topic": photo_topic.code,
            "latitude": INSIDE[0],
            "longitude": INSIDE[1],
            "text": TEXT,
            "photos": [upload()],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "moderation" and len(body["photos"]) == 1
    assert Report.objects.get().source == "api"


def test_refusal_is_a_coded_4xx_and_stores_nothing(author, photo_topic, media_files):
    response = client_of(author).post(
        "/api/v1/problems/reports",
        {
            "topic": photo_topic.code,
            "latitude": OUTSIDE[0],
            "longitude": OUTSIDE[1],
            "text": TEXT,
            "photos": [upload()],
        },
    )
    assert response.status_code == 409  # the city's boundary decides, not the request's shape
    assert response.json()["code"] == "outside_city"
    assert Report.objects.count() == 0 and Photo.objects.count() == 0 and media_files() == []


def test_unmoderated_report_is_not_public(author, topic):
    report = services.report_file(
        author=author, topic_code=topic.code, latitude=INSIDE[0], longitude=INSIDE[1], text=TEXT
    )
    assert Client().get(f"/api/v1/problems/reports/{report.pk}").status_code == 404
    assert client_of(author).get(f"/api/v1/problems/reports/{report.pk}").status_code == 200


def test_whole_journey_through_the_api(
    author, topic, organisation, moderator, responder, django_assert_max_num_queries
):
    me = client_of(author)
    report_id = me.post(
        "/api/v1/problems/reports",
        {"topic": topic.code, "latitude": INSIDE[0], "longitude": INSIDE[1], "text": TEXT},
    ).json()["id"]
    mod = client_of(moderator)
    assert (
        me.post(
            f"/api/v1/problems/reports/{report_id}/moderation",
            {"decision": "accept"},
            content_type="application/json",
        ).status_code
        == 403
    )
    r = mod.post(
        f"/api/v1/problems/reports/{report_id}/moderation",
        {"decision": "accept"},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["status"] == "in_work"
    again = mod.post(
        f"/api/v1/problems/reports/{report_id}/moderation",
        {"decision": "accept"},
        content_type="application/json",
    )
    assert again.status_code == 409 and again.json()["code"] == "illegal_transition"
    worker = client_of(responder)
    assert [q["id"] for q in worker.get("/api/v1/problems/queue").json()] == [report_id]
    answer = worker.post(f"/api/v1/problems/reports/{report_id}/answers", {"text": "Repaired the bench."})
    assert answer.status_code == 201
    approved = mod.post(
        f"/api/v1/problems/answers/{answer.json()['id']}/moderation",
        {"decision": "approve"},
        content_type="application/json",
    )
    assert approved.json()["status"] == "approved"
    rated = me.post(
        f"/api/v1/problems/reports/{report_id}/rating",
        {"score": 5, "verdict": "confirm"},
        content_type="application/json",
    )
    assert rated.status_code == 201 and rated.json()["report_status"] == "closed"
    twice = me.post(
        f"/api/v1/problems/reports/{report_id}/rating",
        {"score": 5, "verdict": "confirm"},
        content_type="application/json",
    )
    assert twice.status_code == 409
    stats = Client().get("/api/v1/problems/statistics").json()
    assert stats[0]["received"] == 1
    with django_assert_max_num_queries(6):
        assert len(me.get("/api/v1/problems/reports/mine").json()) == 1


def test_public_map_has_no_personal_data(
    author, topic, organisation, moderator, django_assert_max_num_queries
):
    for _ in range(3):
        report = services.report_file(
            author=author, topic_code=topic.code, latitude=INSIDE[0], longitude=INSIDE[1], text=TEXT
        )
        services.report_accept(report_id=report.pk, moderator=moderator)
    with django_assert_max_num_queries(3):
        points = Client().get("/api/v1/problems/map", {"topic": topic.code, "bbox": "20,40,21,41"}).json()
    assert len(points) == 3
    assert author.username not in str(points) and "author" not in points[0]
    # written without ninja's validation: still exactly the documented MapPointOut
    from gorod.problems.api import MapPointOut

    for point in points:
        assert set(point) == set(MapPointOut.model_fields)
        assert MapPointOut.model_validate(point).model_dump() == point


def test_duplicates_endpoint(author, topic, organisation, moderator):
    report = services.report_file(
        author=author, topic_code=topic.code, latitude=INSIDE[0], longitude=INSIDE[1], text=TEXT
    )
    services.report_accept(report_id=report.pk, moderator=moderator)
    found = (
        Client()
        .get("/api/v1/problems/duplicates", {"topic": topic.code, "latitude": "40.5005", "longitude": "20.5"})
        .json()
    )
    assert [d["id"] for d in found] == [report.pk] and found[0]["distance_m"] == 56
