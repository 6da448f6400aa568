"""Issue 22, guaranteed implementation: a decision's progress in per cent with the history of who
changed it when; set by operators in the console and the API through one service; shown on the
decision page, the map's GeoJSON (/api/v1/decisions) (the open data decisions: gorod/opendata/tests); refusals write
nothing."""

from __future__ import annotations

import json
import secrets

import pytest
from django.test import Client

from gorod.accounts import roles
from gorod.accounts import services as accounts
from gorod.accounts.models import AuditEntry
from gorod.accounts.tests.factories import ResidentFactory
from gorod.voting.decisions.services import decision_record, decision_status_set
from gorod.voting.models import Decision, DecisionProgress

pytestmark = pytest.mark.django_db
POINT = {"type": "Point", "coordinates": [37.6, 55.75]}


def api(person) -> Client:
    token = accounts.api_token_issue(resident=person, name=secrets.token_hex(6))[1]
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def post(client: Client, path: str, body: dict):
    return client.post(path, json.dumps(body), content_type="application/json")


def written() -> tuple:
    return (
        sorted(Decision.objects.values_list("pk", "status", "progress_percent")),
        sorted(DecisionProgress.objects.values_list("pk", "percent")),
        AuditEntry.objects.count(),
    )


@pytest.fixture
def decision(operator):
    return decision_record(title="A new park", organisation="Parks dept", actor=operator, location=POINT)


def test_an_operator_sets_progress_a_planned_decision_goes_in_work_with_its_history(decision, operator):
    url = f"/api/v1/decisions/{decision.pk}/progress"
    first = post(api(operator), url, {"percent": 30, "note": "Paths laid"})
    assert first.status_code == 200, first.json()
    body = first.json()
    assert (body["status"], body["progress_percent"]) == ("in_progress", 30)
    assert [(c["percent"], c["note"]) for c in body["history"]] == [(30, "Paths laid")]
    assert body["history"][0]["changed_by"] == (operator.get_full_name() or operator.username)
    second = post(api(operator), url, {"percent": 60})
    assert [c["percent"] for c in second.json()["history"]] == [30, 60]
    entry = AuditEntry.objects.filter(action="voting.decision_progress_set").latest("pk")
    assert (
        entry.actor == operator
        and entry.before["progress_percent"] == 30
        and entry.after["progress_percent"] == 60
    )
    # the public reads the progress and what was done when, not who did it
    public = Client().get(url).json()
    assert public["progress_percent"] == 60 and [c["changed_by"] for c in public["history"]] == [None, None]


def test_refusals_write_nothing(decision, operator):
    url = f"/api/v1/decisions/{decision.pk}/progress"
    post(api(operator), url, {"percent": 40})
    before = written()
    same = post(api(operator), url, {"percent": 40})
    assert same.status_code == 409 and same.json()["code"] == "decision_progress_unchanged"
    too_much = post(api(operator), url, {"percent": 101})
    assert too_much.status_code == 422 and too_much.json()["code"] == "invalid_input"
    not_a_number = post(api(operator), url, {"percent": "half"})
    assert not_a_number.status_code == 422
    missing = post(api(operator), "/api/v1/decisions/999999/progress", {"percent": 10})
    assert missing.status_code == 404 and missing.json()["code"] == "decision_not_found"
    assert Client().get("/api/v1/decisions/999999/progress").status_code == 404
    assert written() == before


def test_done_is_100_and_then_progress_no_longer_changes(decision, operator):
    post(api(operator), f"/api/v1/decisions/{decision.pk}/progress", {"percent": 80})
    decision_status_set(decision_id=decision.pk, status="done", actor=operator)
    assert Decision.objects.get(pk=decision.pk).progress_percent == 100
    assert list(DecisionProgress.objects.values_list("percent", flat=True)) == [80, 100]
    other = decision_record(title="A bridge", organisation="Roads", actor=operator)
    decision_status_set(decision_id=other.pk, status="cancelled", actor=operator, reason="No money")
    before = written()
    for target in (decision, other):
        late = post(api(operator), f"/api/v1/decisions/{target.pk}/progress", {"percent": 50})
        assert late.status_code == 409 and late.json()["code"] == "decision_not_in_work"
    assert written() == before


@pytest.mark.parametrize(
    "role", [roles.MODERATOR, roles.BUILDING_ADMINISTRATOR, roles.ORGANISATION_RESPONDER, None]
)
def test_nobody_but_an_operator_changes_progress(decision, role):
    person = ResidentFactory(level="full", roles=[role] if role else [], is_staff=role is not None)
    before = written()
    refused = post(api(person), f"/api/v1/decisions/{decision.pk}/progress", {"percent": 10})
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    assert post(Client(), f"/api/v1/decisions/{decision.pk}/progress", {"percent": 10}).status_code == 401
    assert written() == before


def test_shown_on_the_page_the_map_and_in_open_data_in_both_languages(decision, operator):
    post(api(operator), f"/api/v1/decisions/{decision.pk}/progress", {"percent": 45, "note": "Trees planted"})
    page = Client().get(f"/voting/decisions/{decision.pk}/")
    text = page.content.decode()
    assert 'value="45"' in text and "45\u00a0% done" in text and "Trees planted" in text
    name = operator.get_full_name() or operator.username
    assert name not in text  # who changed it is the operators' to see
    assert name in signed_in(operator).get(f"/voting/decisions/{decision.pk}/").content.decode()
    russian = Client().get(f"/voting/decisions/{decision.pk}/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "45\u00a0% выполнено" in russian and "Ход работ" in russian
    listing = Client().get("/voting/decisions/").content.decode()
    assert "45\u00a0% done" in listing
    features = Client().get("/api/v1/decisions").json()["features"]
    assert [f["properties"]["progress_percent"] for f in features] == [45]


def test_the_console_sets_progress_through_the_service_and_shows_the_history(decision, operator):
    client = signed_in(operator)
    url = f"/console/voting/decision/{decision.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200 and b"new_progress" in page.content
    form = {
        "poll": "",
        "title": decision.title,
        "description": "",
        "organisation": decision.organisation,
        "district": "",
        "location": json.dumps(POINT),
        "planned_on": "",
        "cancel_reason": "",
        "new_progress": "25",
        "progress_note": "Design approved",
        "progress_history-TOTAL_FORMS": "0",
        "progress_history-INITIAL_FORMS": "0",
        "progress_history-MIN_NUM_FORMS": "0",
        "progress_history-MAX_NUM_FORMS": "1000",
    }
    saved = client.post(url, form)
    assert saved.status_code == 302, saved.content.decode()[:3000]
    decided = Decision.objects.get(pk=decision.pk)
    assert (decided.status, decided.progress_percent) == ("in_progress", 25)
    change = DecisionProgress.objects.get()
    assert (change.note, change.changed_by) == ("Design approved", operator)
    assert b"Design approved" in client.get(url).content
    # the rule refuses in the form: nothing more is written
    decision_status_set(decision_id=decision.pk, status="done", actor=operator)
    before = written()
    again = client.post(url, {**form, "new_progress": "30", "progress_history-INITIAL_FORMS": "0"})
    assert again.status_code == 200 and "no longer changes" in again.content.decode()
    assert written() == before
