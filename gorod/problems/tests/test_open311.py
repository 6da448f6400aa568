from __future__ import annotations

import pytest
from django.test import Client

from gorod.accounts import services as account_services
from gorod.problems import services
from gorod.problems.models import Report
from gorod.problems.tests.conftest import INSIDE, OUTSIDE, TEXT

pytestmark = pytest.mark.django_db


def test_discovery_and_services(topic, photo_topic):
    client = Client()
    discovery = client.get("/open311/v2/discovery.json").json()
    assert discovery["endpoints"][0]["specification"] == "http://wiki.open311.org/GeoReport_v2"
    codes = {s["service_code"] for s in client.get("/open311/v2/services.json").json()}
    assert {topic.code, photo_topic.code} <= codes
    assert client.get(f"/open311/v2/services/{topic.code}.json").json() == {
        "service_code": topic.code,
        "attributes": [],
    }
    assert client.get("/open311/v2/services/nope.json").status_code == 404


def test_a_standard_client_files_a_request_that_goes_to_moderation(author, topic, organisation, moderator):
    _token, key = account_services.api_token_issue(resident=author, name="open311")
    response = Client().post(
        "/open311/v2/requests.json",
        {
            "api_key": key,
            "service_code": topic.code,
            "lat": INSIDE[0],
            "long": INSIDE[1],
            "description": TEXT,
        },
    )
    assert response.status_code == 201, response.content
    request_id = int(response.json()[0]["service_request_id"])
    report = Report.objects.get(pk=request_id)
    assert report.status == "moderation" and report.source == "open311" and report.author == author
    # Not public until a moderator accepts it.
    assert Client().get(f"/open311/v2/requests/{request_id}.json").status_code == 404
    services.report_accept(report_id=request_id, moderator=moderator)
    detail = Client().get(f"/open311/v2/requests/{request_id}.json").json()[0]
    assert detail["status"] == "open" and detail["agency_responsible"] == organisation.name
    assert author.username not in str(detail)
    listed = Client().get("/open311/v2/requests.json", {"service_code": topic.code, "status": "open"}).json()
    assert [r["service_request_id"] for r in listed] == [str(request_id)]
    assert Client().get("/open311/v2/requests.json", {"status": "closed"}).json() == []


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({"service_code": "bench-broken", "lat": INSIDE[0], "long": INSIDE[1], "description": TEXT}, 403),
        (
            {
                "api_key": "gorod_wrong",
                "service_code": "bench-broken",
                "lat": INSIDE[0],
                "long": INSIDE[1],
                "description": TEXT,
            },
            403,
        ),
        (
            {
                "api_key": "KEY",
                "service_code": "nope",
                "lat": INSIDE[0],
                "long": INSIDE[1],
                "description": TEXT,
            },
            404,
        ),
        (
            {
                "api_key": "KEY",
                "service_code": "bench-broken",
                "lat": OUTSIDE[0],
                "long": OUTSIDE[1],
                "description": TEXT,
            },
            400,
        ),
        ({"api_key": "KEY", "service_code": "bench-broken", "description": TEXT}, 400),
        (
            {
                "api_key": "KEY",
                "service_code": "pothole",
                "lat": INSIDE[0],
                "long": INSIDE[1],
                "description": TEXT,
            },
            400,
        ),
        (
            {
                "api_key": "KEY",
                "service_code": "bench-broken",
                "lat": INSIDE[0],
                "long": INSIDE[1],
                "description": "short",
            },
            400,
        ),
    ],
)
def test_bad_requests_are_refused_and_store_nothing(author, topic, photo_topic, data, status):
    _token, key = account_services.api_token_issue(resident=author, name="open311")
    data = {k: (key if v == "KEY" else v) for k, v in data.items()}
    response = Client().post("/open311/v2/requests.json", data)
    assert response.status_code == status
    assert response.json()[0]["code"] == status
    assert Report.objects.count() == 0
