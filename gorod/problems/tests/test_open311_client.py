"""The `georeport` client from PyPI against a live server, in both of its formats: it lists the
services and their definitions, and reads back a request filed over HTTP once the token says it
has an id (the client itself has no filing call, so filing is a plain form POST)."""

from __future__ import annotations

import datetime as dt

import pytest
import requests
import time_machine
from georeport import GeoReport

from gorod.accounts import services as account_services
from gorod.problems import services
from gorod.problems.models import Report
from gorod.problems.tests.conftest import INSIDE, TEXT

pytestmark = pytest.mark.django_db(transaction=True)

NOW = dt.datetime(2026, 3, 5, 9, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_the_georeport_client_files_and_reads_back(fmt, live_server, author, topic, organisation, moderator):
    with time_machine.travel(NOW, tick=True):
        root = f"{live_server.url}/open311/v2"
        client = GeoReport(root, output_format=fmt)
        services_listed = client.get_service_list()
        if fmt == "xml" and isinstance(services_listed, dict):  # xmltodict gives a dict for one item
            services_listed = [services_listed]
        assert topic.code in {s["service_code"] for s in services_listed}
        definition = client.get_service_definition(topic.code)
        assert definition["service_code"] == topic.code and definition["attributes"]

        _token, key = account_services.api_token_issue(resident=author, name="georeport")
        filed = requests.post(
            f"{root}/requests.{fmt}",
            data={
                "api_key": key,
                "service_code": topic.code,
                "lat": INSIDE[0],
                "long": INSIDE[1],
                "description": TEXT,
            },
            timeout=10,
        )
        assert filed.status_code == 201, filed.text
        token = (
            filed.json()[0]["token"] if fmt == "json" else filed.text.split("<token>")[1].split("</token>")[0]
        )
        report = Report.objects.get(source="open311")
        services.report_accept(report_id=report.pk, moderator=moderator)

        by_token = requests.get(f"{root}/tokens/{token}.json", timeout=10).json()
        request_id = by_token[0]["service_request_id"]
        assert request_id == str(report.pk)
        read_back = client.get_service_request(request_id)
        assert read_back["service_request_id"] == request_id
        assert read_back["service_code"] == topic.code and read_back["status"] == "open"
        requested = dt.datetime.fromisoformat(read_back["requested_datetime"])
        assert read_back["requested_datetime"].endswith("+03:00")
        assert dt.timedelta(0) <= requested - NOW < dt.timedelta(minutes=1)
        listed = client.get_service_requests(service_code=topic.code, status="open")
        if fmt == "xml" and isinstance(listed, dict):
            listed = [listed]
        assert [r["service_request_id"] for r in listed] == [request_id]
