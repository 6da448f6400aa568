"""Open311 GeoReport v2 conformance: every call in XML (the specification's default) and JSON,
with the same content in both; tokens for requests in moderation; requests by address; full
ISO 8601 date-times; errors in the specification's shape."""

from __future__ import annotations

import datetime as dt
from typing import Any
from xml.etree import ElementTree

import pytest
import time_machine
from django.test import Client

from gorod.accounts import services as account_services
from gorod.accounts.models import Address
from gorod.problems import services
from gorod.problems.models import Report
from gorod.problems.open311_render import ITEM_TAGS
from gorod.problems.tests.conftest import INSIDE, OUTSIDE, TEXT

pytestmark = pytest.mark.django_db

FORMATS = ["xml", "json"]
NOW = dt.datetime(2026, 3, 5, 9, 0, tzinfo=dt.UTC)  # a Thursday
SERVICE_FIELDS = {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}
ATTRIBUTE_FIELDS = {
    "variable",
    "code",
    "datatype",
    "required",
    "datatype_description",
    "order",
    "description",
}
REQUEST_FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def _value(element: ElementTree.Element) -> Any:
    """An XML answer read back into the JSON shape (leaves as text)."""
    if element.tag in ITEM_TAGS:
        return [_value(child) for child in element]
    if len(element):
        return {child.tag: _value(child) for child in element}
    return element.text or ""


def _leaves_as_text(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _leaves_as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_leaves_as_text(v) for v in value]
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def call(fmt: str, method: str, path: str, data: dict | None = None, *, status: int = 200) -> Any:
    """One call in one format: its status and content type checked, the body as JSON values
    (XML turned into the same shape, every leaf text)."""
    client = Client()
    url = f"/open311/v2/{path}.{fmt}"
    response = client.post(url, data or {}) if method == "POST" else client.get(url, data or {})
    assert response.status_code == status, response.content
    if fmt == "json":
        assert response["Content-Type"] == "application/json"
        return _leaves_as_text(response.json())
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b"<?xml")
    return _value(ElementTree.fromstring(response.content))


def _full_datetime(text: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(text)
    assert "T" in text and moment.tzinfo is not None, text
    return moment


@pytest.mark.parametrize("fmt", FORMATS)
def test_discovery(fmt):
    found = call(fmt, "GET", "discovery")
    assert set(found) == {"changeset", "contact", "key_service", "endpoints"}
    endpoint = found["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert endpoint["formats"] == ["text/xml", "application/json"]
    _full_datetime(found["changeset"].replace("Z", "+00:00"))
    assert Client().get("/open311/v2/discovery").json()["endpoints"][0]["url"] == endpoint["url"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_services_and_their_definitions(fmt, topic, photo_topic):
    listed = call(fmt, "GET", "services")
    by_code = {s["service_code"]: s for s in listed}
    assert {topic.code, photo_topic.code} <= set(by_code)
    assert all(set(s) == SERVICE_FIELDS for s in listed)
    assert by_code[topic.code]["metadata"] == "true"
    definition = call(fmt, "GET", f"services/{photo_topic.code}")
    assert definition["service_code"] == photo_topic.code
    attributes = {a["code"]: a for a in definition["attributes"]}
    assert all(set(a) == ATTRIBUTE_FIELDS for a in attributes.values())
    assert attributes["photo"]["description"] == "A photo (media) is required for this service."
    assert attributes["deadline"]["description"] == "Answered within 8 working days of acceptance."
    assert [a["order"] for a in definition["attributes"]] == ["1", "2"]
    assert call(fmt, "GET", "services/nope", status=404) == [
        {"code": "404", "description": "service_code not found"}
    ]


@pytest.mark.parametrize("fmt", FORMATS)
def test_file_then_read_back_through_the_token(fmt, author, topic, organisation, moderator):
    _token, key = account_services.api_token_issue(resident=author, name="open311")
    filed = call(
        fmt,
        "POST",
        "requests",
        {
            "api_key": key,
            "service_code": topic.code,
            "lat": INSIDE[0],
            "long": INSIDE[1],
            "description": TEXT,
        },
        status=201,
    )
    assert list(filed[0]) == ["token", "service_notice", "account_id"]
    token = filed[0]["token"]
    report = Report.objects.get()
    assert report.status == "moderation" and report.source == "open311" and report.author == author
    # In moderation: the token answers without an id, and the request cannot be read.
    assert call(fmt, "GET", f"tokens/{token}") == [{"token": token}]
    call(fmt, "GET", f"requests/{report.pk}", status=404)

    services.report_accept(report_id=report.pk, moderator=moderator)
    assert call(fmt, "GET", f"tokens/{token}") == [{"service_request_id": str(report.pk), "token": token}]
    detail = call(fmt, "GET", f"requests/{report.pk}")[0]
    assert set(detail) == REQUEST_FIELDS
    assert detail["status"] == "open" and detail["agency_responsible"] == organisation.name
    assert author.username not in str(detail)
    assert _full_datetime(detail["requested_datetime"]) == NOW
    assert detail["requested_datetime"] == "2026-03-05T12:00:00+03:00"
    # Due by the end of the 8th working day after acceptance, in city time (Monday 9 March is
    # the day off for Women's Day, which falls on a Sunday in 2026).
    assert detail["expected_datetime"] == "2026-03-18T23:59:59+03:00"
    _full_datetime(detail["updated_datetime"])
    listed = call(fmt, "GET", "requests", {"service_code": topic.code, "status": "open"})
    assert [r["service_request_id"] for r in listed] == [str(report.pk)]
    assert listed[0] == detail
    assert call(fmt, "GET", "requests", {"service_request_id": str(report.pk)}) == [detail]
    assert call(fmt, "GET", "requests", {"status": "closed"}) == []
    call(fmt, "GET", "tokens/42~forged", status=404)


def test_xml_and_json_say_the_same(author, topic, organisation, moderator):
    _token, key = account_services.api_token_issue(resident=author, name="open311")
    data = {
        "api_key": key,
        "service_code": topic.code,
        "lat": INSIDE[0],
        "long": INSIDE[1],
        "description": TEXT,
    }
    call("json", "POST", "requests", data, status=201)
    services.report_accept(report_id=Report.objects.get().pk, moderator=moderator)
    report_id = Report.objects.get().pk
    for path in ("discovery", "services", f"services/{topic.code}", "requests", f"requests/{report_id}"):
        assert call("xml", "GET", path) == call("json", "GET", path), path


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_request_by_address_is_placed_at_the_registers_address(fmt, author, topic, organisation, district):
    building = Address.objects.create(
        text="Testovaya St, 5", district=district, latitude=INSIDE[0], longitude=INSIDE[1]
    )
    _token, key = account_services.api_token_issue(resident=author, name="open311")
    base = {"api_key": key, "service_code": topic.code, "description": TEXT}
    call(fmt, "POST", "requests", {**base, "address_string": " testovaya st,  5. "}, status=201)
    report = Report.objects.get()
    assert (str(report.latitude), str(report.longitude)) == INSIDE
    assert report.building_id == building.pk and report.district == district
    call(fmt, "POST", "requests", {**base, "address_id": str(building.pk)}, status=201)
    assert Report.objects.filter(building=building).count() == 2


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("place", "description"),
    [
        (
            {"address_string": "Nowhere St, 1"},
            "address_string is not in the city's address register; send lat and long",
        ),
        ({"address_id": "999999"}, "address_id is not in the city's address register"),
        ({"address_id": "x"}, "address_id is not in the city's address register"),
        ({}, "lat and long, address_string or address_id are required"),
    ],
)
def test_an_unknown_address_is_refused_and_stores_nothing(fmt, author, topic, place, description):
    _token, key = account_services.api_token_issue(resident=author, name="open311")
    data = {"api_key": key, "service_code": topic.code, "description": TEXT, **place}
    assert call(fmt, "POST", "requests", data, status=400) == [{"code": "400", "description": description}]
    assert Report.objects.count() == 0


@pytest.mark.parametrize("fmt", FORMATS)
def test_bad_searches_are_refused(fmt):
    assert call(fmt, "GET", "requests", {"status": "pending"}, status=400)[0]["code"] == "400"
    assert call(fmt, "GET", "requests", {"start_date": "yesterday"}, status=400)[0]["code"] == "400"
    assert Client().get("/open311/v2/requests.csv").status_code == 404


@pytest.mark.parametrize("fmt", FORMATS)
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
        ({"api_key": "KEY", "lat": INSIDE[0], "long": INSIDE[1], "description": TEXT}, 400),
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
def test_bad_requests_are_refused_and_store_nothing(fmt, author, topic, photo_topic, data, status):
    _token, key = account_services.api_token_issue(resident=author, name="open311")
    data = {k: (key if v == "KEY" else v) for k, v in data.items()}
    refused = call(fmt, "POST", "requests", data, status=status)
    assert refused[0]["code"] == str(status) and refused[0]["description"]
    assert Report.objects.count() == 0
