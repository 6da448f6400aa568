"""Closing a poll early and publishing its results through the API (issue 26's parity): the same
services as the confirmation pages, operators only, a reason and an explicit confirmation, a
second call 409; refusals change nothing."""

from __future__ import annotations

import json
import secrets

import pytest
from django.test import Client

from gorod.accounts import roles
from gorod.accounts import services as accounts
from gorod.accounts.models import AuditEntry
from gorod.accounts.tests.factories import ResidentFactory
from gorod.voting import services
from gorod.voting.models import Poll

pytestmark = pytest.mark.django_db


def api(person) -> Client:
    token = accounts.api_token_issue(resident=person, name=secrets.token_hex(6))[1]
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def post(client: Client, path: str, body: dict) -> object:
    return client.post(path, json.dumps(body), content_type="application/json")


def state(poll_id: int) -> tuple:
    poll = Poll.objects.get(pk=poll_id)
    return poll.status, poll.closes_at, poll.closed_at, poll.published_at, AuditEntry.objects.count()


def test_close_needs_a_reason_and_a_confirmation_then_a_second_call_is_409(open_poll, operator):
    client = api(operator)
    url = f"/api/v1/polls/{open_poll.pk}/close"
    before = state(open_poll.pk)
    unconfirmed = post(client, url, {"reason": "Enough votes", "confirm": False})
    assert unconfirmed.status_code == 422 and unconfirmed.json()["code"] == "invalid_input"
    assert [e["field"] for e in unconfirmed.json()["details"]["errors"]] == ["body.confirm"]
    no_confirm = post(client, url, {"reason": "Enough votes"})
    assert no_confirm.status_code == 422 and no_confirm.json()["code"] == "invalid_input"
    blank = post(client, url, {"reason": "   ", "confirm": True})
    assert blank.status_code == 422 and blank.json()["code"] == "invalid_input"
    assert state(open_poll.pk) == before
    done = post(client, url, {"reason": "Enough votes", "confirm": True})
    assert done.status_code == 200 and done.json()["status"] == "closed"
    poll = Poll.objects.get(pk=open_poll.pk)
    assert poll.closed_at is not None and poll.closes_at <= poll.closed_at
    entry = AuditEntry.objects.get(action="voting.poll_closed")
    assert entry.actor == operator and entry.reason == "Enough votes"
    closed = state(open_poll.pk)
    again = post(client, url, {"reason": "Again", "confirm": True})
    assert again.status_code == 409 and again.json()["code"] == "poll_transition_invalid"
    assert state(open_poll.pk) == closed


def test_publish_needs_a_confirmation_only_once_closed_and_only_once(open_poll, operator):
    client = api(operator)
    url = f"/api/v1/polls/{open_poll.pk}/publish"
    too_early = post(client, url, {"confirm": True})
    assert too_early.status_code == 409 and too_early.json()["code"] == "poll_transition_invalid"
    services.poll_close(poll_id=open_poll.pk, actor=operator, reason="test")
    before = state(open_poll.pk)
    unconfirmed = post(client, url, {"confirm": False})
    assert unconfirmed.status_code == 422 and unconfirmed.json()["code"] == "invalid_input"
    assert state(open_poll.pk) == before
    done = post(client, url, {"confirm": True})
    assert done.status_code == 200 and done.json()["status"] == "published"
    assert AuditEntry.objects.get(action="voting.poll_published").actor == operator
    published = state(open_poll.pk)
    again = post(client, url, {"confirm": True})
    assert again.status_code == 409 and again.json()["code"] == "poll_transition_invalid"
    assert state(open_poll.pk) == published


def test_an_unknown_poll_is_404(operator):
    for move, body in (("close", {"reason": "x", "confirm": True}), ("publish", {"confirm": True})):
        missing = post(api(operator), f"/api/v1/polls/999999/{move}", body)
        assert missing.status_code == 404 and missing.json()["code"] == "poll_not_found"


@pytest.mark.parametrize("role", [roles.MODERATOR, roles.BUILDING_ADMINISTRATOR, roles.PARTNER_STAFF, None])
def test_anyone_but_an_operator_gets_nothing(open_poll, role):
    person = ResidentFactory(level="full", roles=[role] if role else [], is_staff=role is not None)
    client = api(person)
    before = state(open_poll.pk)
    close = post(client, f"/api/v1/polls/{open_poll.pk}/close", {"reason": "x", "confirm": True})
    publish = post(client, f"/api/v1/polls/{open_poll.pk}/publish", {"confirm": True})
    assert close.status_code == publish.status_code == 403
    assert close.json()["code"] == publish.json()["code"] == "forbidden"
    anonymous = post(Client(), f"/api/v1/polls/{open_poll.pk}/close", {"reason": "x", "confirm": True})
    assert anonymous.status_code == 401
    assert state(open_poll.pk) == before
