from __future__ import annotations

import csv
import io
import json

import pytest
from django.test import Client

from gorod.accounts.tests.factories import ResidentFactory
from gorod.points import selectors as points_selectors
from gorod.voting import rules, services
from gorod.voting.api import ReceiptOut
from gorod.voting.decisions.services import decision_record
from gorod.voting.models import Ballot, Participation, PendingBallot, Poll

from .conftest import answers_for, make_poll, proves_receipt, receipt_leaf

pytestmark = pytest.mark.django_db


def body_for(poll, first=0, second=(0,), other=""):
    q1, q2 = list(poll.questions.all())[:2]
    return {
        "answers": [
            {"question_id": q1.pk, "option_ids": [list(q1.options.all())[first].pk]},
            {
                "question_id": q2.pk,
                "option_ids": [list(q2.options.all())[i].pk for i in second],
                "other": other,
            },
        ]
    }


def test_open_polls_listed_with_bounded_queries(api_client, resident, django_assert_max_num_queries):
    for i in range(5):
        make_poll(title=f"Poll {i}")
    with django_assert_max_num_queries(12):
        response = api_client.get("/api/v1/polls")
    assert response.status_code == 200
    data = response.json()
    assert len(data["polls"]) == 5
    assert data["polls"][0]["has_voted"] is False


def test_vote_through_api_then_refusals(api_client, resident, open_poll):
    url = f"/api/v1/polls/{open_poll.pk}/ballot"
    response = api_client.post(url, body_for(open_poll), content_type="application/json")
    assert response.status_code == 201, response.content
    receipt = response.json()
    assert receipt["points"] == 20 and len(receipt["code"]) == 23
    # answered as ninja renders the documented schema, field for field
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert ReceiptOut.model_validate(receipt).model_dump() == receipt
    assert list(receipt) == ["poll_id", "code", "receipt_hash", "points"]
    assert receipt["poll_id"] == open_poll.pk and receipt["receipt_hash"] == rules.receipt_hash(
        receipt["code"]
    )
    again = api_client.post(url, body_for(open_poll, 1), content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "already_voted"
    assert PendingBallot.objects.filter(poll=open_poll).count() == 1
    assert points_selectors.balance(resident).balance == 20


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"answers": []}, 422, "invalid_input"),  # the document asks for at least one
        ("too_many", 409, "too_many_choices"),  # the question's limit: the city's state
        ("long_other", 422, "invalid_input"),  # past the document's maxLength (rules.OTHER_MAX_LENGTH)
        ("foreign", 409, "option_not_in_poll"),
        ("same_option_twice", 422, "duplicate_choice"),
        ("same_question_twice", 409, "too_many_choices"),  # read as one answer: 2 of at most 1
        ({"answers": "nope"}, 422, "invalid_input"),
        ({}, 422, "invalid_input"),
        ({"answers": [None]}, 422, "invalid_input"),
        ([], 400, "bad_request"),  # not a JSON object
    ],
)
def test_bad_ballots_get_codes_and_write_nothing(api_client, resident, open_poll, body, status, code):
    if body == "too_many":
        body = body_for(open_poll, 0, (0, 1, 2))
    elif body == "same_option_twice":
        body = body_for(open_poll, 0, (0,))
        body["answers"][0]["option_ids"] *= 2
    elif body == "same_question_twice":
        body = body_for(open_poll, 0, (0,))
        body["answers"].append(body_for(open_poll, 1, (0,))["answers"][0])
    elif body == "long_other":
        body = body_for(open_poll, 0, (0,), other="y" * 501)
    elif body == "foreign":
        other = make_poll(title="other")
        body = body_for(open_poll)
        body["answers"][0]["option_ids"] = [next(iter(other.questions.first().options.all())).pk]
    response = api_client.post(f"/api/v1/polls/{open_poll.pk}/ballot", body, content_type="application/json")
    assert response.status_code == status, response.content
    assert response.json()["code"] == code
    if body == {}:  # a body without answers names the missing field
        assert response.json()["details"]["errors"] == [
            {"field": "body.answers", "message": "Field required"}
        ]
    assert Participation.objects.count() == 0 and Ballot.objects.count() == 0
    assert points_selectors.balance(resident).balance == 0


def test_closed_poll_and_anonymous_ballot_refused(api_client, resident):
    closed = make_poll(status="closed")
    response = api_client.post(
        f"/api/v1/polls/{closed.pk}/ballot", body_for(closed), content_type="application/json"
    )
    assert response.status_code == 409 and response.json()["code"] == "poll_closed"
    anonymous = Client().post(
        f"/api/v1/polls/{closed.pk}/ballot", body_for(closed), content_type="application/json"
    )
    assert anonymous.status_code == 401
    assert Ballot.objects.count() == 0


def test_results_receipt_proof_and_download(api_client, resident, open_poll):
    code = api_client.post(
        f"/api/v1/polls/{open_poll.pk}/ballot", body_for(open_poll), content_type="application/json"
    ).json()["code"]
    hidden = Client().get(f"/api/v1/polls/{open_poll.pk}/results")
    assert hidden.status_code == 403 and hidden.json()["code"] == "results_not_available"
    services.poll_close(poll_id=open_poll.pk)
    services.poll_results_publish(poll_id=open_poll.pk)
    anon = Client()
    results = anon.get(f"/api/v1/polls/{open_poll.pk}/results").json()
    assert results["ballots"] == 1 and results["final"] is True
    assert results["districts"] == []  # one voter: hidden from the breakdown
    leaf = receipt_leaf(code).hex()
    proofs = anon.get(f"/api/v1/polls/{open_poll.pk}/receipts?prefix={leaf[:4]}").json()
    assert proofs["root"] == results["merkle_root"] and proofs["leaf_count"] == 1
    assert [r["leaf"] for r in proofs["receipts"]] == [leaf]
    assert "choices" not in json.dumps(proofs)  # a receipt proves counting, not the choice
    assert proves_receipt(Poll.objects.get(pk=open_poll.pk), code)
    for bad in ("", "xyz", "0" * 17):
        assert anon.get(f"/api/v1/polls/{open_poll.pk}/receipts?prefix={bad}").status_code == 422
    download = anon.get(f"/api/v1/polls/{open_poll.pk}/ballots.csv")
    rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode())))
    assert rows == [["receipt_hash", "choices"], [rules.receipt_hash(code), ""], ["", rows[2][1]]]
    assert rows[2][1] == Ballot.objects.get(poll=open_poll).choices


def test_draft_polls_are_invisible(api_client):
    draft = make_poll(status="draft")
    assert api_client.get(f"/api/v1/polls/{draft.pk}").status_code == 404


def test_decisions_geojson_filters(operator):
    poll = make_poll(status="published")
    decision_record(
        title="New playground",
        organisation="Parks dept",
        actor=operator,
        poll=poll,
        location={"type": "Point", "coordinates": [37.6, 55.75]},
    )
    decision_record(title="No place", organisation="Parks dept", actor=operator, poll=poll)
    data = Client().get("/api/v1/decisions").json()
    assert data["type"] == "FeatureCollection" and len(data["features"]) == 1
    assert data["features"][0]["properties"]["poll_id"] == poll.pk
    assert Client().get("/api/v1/decisions?status=done").json()["features"] == []
    assert Client().get("/api/v1/decisions?status=bogus").status_code == 422


def test_recompute_command_matches_published_root(api_client, open_poll, tmp_path):
    from django.core.management import call_command

    for i in range(5):
        services.ballot_cast(
            poll_id=open_poll.pk, resident=ResidentFactory(), answers=answers_for(open_poll, i % 3)
        )
    poll = services.poll_close(poll_id=open_poll.pk)
    services.poll_results_publish(poll_id=poll.pk)
    download = Client().get(f"/api/v1/polls/{poll.pk}/ballots.csv")
    path = tmp_path / "ballots.csv"
    path.write_bytes(b"".join(download.streaming_content))
    out = io.StringIO()
    call_command("voting_recompute", str(path), root=poll.merkle_root, stdout=out)
    text = out.getvalue()
    assert "matches the published root" in text and "ballots: 5" in text
    first_q = poll.results["questions"][0]
    assert (
        f"question {first_q['id']} option {first_q['options'][0]['id']}: {first_q['options'][0]['count']}"
        in text
    )
