"""What schemathesis against a real server found where the document and the server disagreed on a
request's shape; each case here was answered otherwise before (tests/test_api_fuzz_server.py
finds them, these pin them without a server)."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from config.api_contract import admits_nul
from gorod.core.api_fields import NON_BLANK, text_pattern
from gorod.news import rules as news_rules


@pytest.mark.parametrize(
    ("pattern", "admits"),
    [
        (NON_BLANK, False),
        (text_pattern(20), False),
        ("^(open|closed)$", False),
        ("^[0-9a-f]{1,16}$", False),
        (news_rules.PLATE_PATTERN, False),
        (r"\S", True),  # unanchored: anything may surround it
        ("^.*$", True),
        ("^[^a]*$", True),
        (r"^\S+$", True),
    ],
)
def test_a_pattern_that_excludes_nul_gets_no_second_one(pattern, admits):
    assert admits_nul(pattern) is admits


@pytest.mark.parametrize(
    ("text", "matches"),
    [
        ("a" * 20, True),
        ("  " + "a" * 20 + "\n", True),
        ("a" + " " * 18 + "b", True),
        ("a" * 19, False),
        (" " * 40, False),
        ("a" * 20 + "\x00", False),
    ],
)
def test_text_pattern_is_the_stripped_length_and_no_nul(text, matches):
    assert bool(re.search(text_pattern(20), text)) is matches


def test_plate_pattern_admits_only_plates_the_service_takes():
    pattern = re.compile(news_rules.PLATE_PATTERN)
    for plate in ["", "А123ВС77", "a123bc777", "x001ye01"]:
        assert pattern.fullmatch(plate) and (plate == "" or news_rules.normalise_plate(plate))
    for plate in ["A000BC77", "A001BC00", "A001BC010", "a 123 bc 77"]:
        assert not pattern.fullmatch(plate)


@pytest.mark.django_db
@pytest.mark.parametrize("score", [True, "3", 3.5])
def test_a_json_body_is_read_strictly(api_client, score):
    """pydantic's lax reading took ``true`` as 1: a JSON body's integer is a JSON integer."""
    response = api_client.post(
        "/api/v1/problems/reports/1/rating", json.dumps({"score": score}), content_type="application/json"
    )
    assert response.status_code == 422 and response.json()["code"] == "invalid_input"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/missions/challenges?all=yes",
        "/api/v1/missions/challenges?all=1",
        "/api/v1/pets/notices?since=2026-01-01T00:00",
        "/api/v1/pets/notices?since=1700000000",
    ],
)
def test_query_flags_and_dates_take_only_what_the_document_says(url):
    response = Client().get(url)
    assert response.status_code == 422 and response.json()["code"] == "invalid_input"


@pytest.mark.django_db
def test_query_flags_and_dates_as_documented_are_read():
    assert Client().get("/api/v1/missions/challenges?all=true").status_code == 200
    assert Client().get("/api/v1/pets/notices?since=2026-01-01").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/v1/polls/abc", "/api/v1/polls//results", "/api/v1/no-such-thing"])
def test_a_url_that_names_nothing_is_the_api_json_404(api_client, url):
    response = api_client.get(url)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json") and response.json()["code"] == "not_found"


@pytest.mark.django_db
def test_every_request_body_documents_its_extra_fields_as_json_without_nul():
    doc = Client().get("/api/v1/openapi.json").json()
    schemas = doc["components"]["schemas"]
    assert schemas["AnyJson"]["anyOf"][0] == {"type": "string", "pattern": "^[^\\x00]*$"}
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            for content in operation.get("requestBody", {}).get("content", {}).values():
                schema = content["schema"]
                schema = schemas[schema["$ref"].rsplit("/", 1)[-1]] if "$ref" in schema else schema
                label = f"{method.upper()} {path}"
                assert schema["additionalProperties"] == {"$ref": "#/components/schemas/AnyJson"}, label
                assert schema["propertyNames"] == {"pattern": "^[^\\x00]*$"}, label


@pytest.mark.django_db
def test_the_document_states_the_rules_the_services_hold():
    """Each of these was a request valid by the document that the service refused with 422."""
    schemas = Client().get("/api/v1/openapi.json").json()["components"]["schemas"]

    def matches(schema, text):
        return re.search(schema["pattern"], text) is not None

    question = schemas["MeetingQuestionIn"]["properties"]
    assert matches(question["threshold"], "two_thirds") and not matches(question["threshold"], "")
    assert not matches(question["subject"], " \n")
    for name in ("MeetingBallotIn", "MeetingPaperBallotIn"):
        answers = schemas[name]["properties"]["answers"]
        assert answers["minProperties"] == 1
        assert matches(answers["propertyNames"], "12") and not matches(answers["propertyNames"], "")
        assert matches(answers["additionalProperties"], "abstain")
        assert not matches(answers["additionalProperties"], "")
    reading = schemas["ReadingIn"]["properties"]["values"]["items"]
    assert matches(reading, "156,4") and matches(reading, "12.345")
    assert not any(matches(reading, bad) for bad in ("", "-1", "1e3", "abc", " 1"))
    assert not matches(schemas["MessageIn"]["properties"]["body"], " ")
    quiz = schemas["QuizAttemptIn"]["properties"]["answers"]
    assert quiz["minItems"] == 1 and schemas["QuizAnswerIn"]["properties"]["option_ids"]["minItems"] == 1
    assert "maxDigits" not in json.dumps(schemas["NoticeIn"])  # any precision, rounded by the service


@pytest.mark.django_db
@pytest.mark.parametrize("flag", [0, 1, "true", None])
def test_preferences_take_json_booleans_only(api_client, flag):
    response = api_client.put(
        "/api/v1/notifications/preferences",
        json.dumps({"by_email": {"building_news": flag}}),
        content_type="application/json",
    )
    assert response.status_code == 422 and response.json()["code"] == "invalid_input"
