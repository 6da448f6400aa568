"""Closing a poll early and publishing its results: pages that state the consequences and need
a confirmation, operators only, audited; refusals change nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from gorod.accounts import roles
from gorod.accounts.models import AuditEntry
from gorod.accounts.tests.factories import ResidentFactory
from gorod.voting import services
from gorod.voting.models import Poll

pytestmark = pytest.mark.django_db


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def test_closing_early_states_the_consequences_and_needs_a_confirmation(open_poll, operator):
    client = signed_in(operator)
    url = f"/voting/staff/polls/{open_poll.pk}/close/"
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "This cannot be undone." in text and "was to stay open until" in text
    assert "cannot be reopened" in text
    unconfirmed = client.post(url, {"reason": "Enough votes"})
    assert unconfirmed.status_code == 422
    no_reason = client.post(url, {"confirm": "on"})
    assert no_reason.status_code == 422
    assert Poll.objects.get(pk=open_poll.pk).status == "open"
    assert not AuditEntry.objects.filter(action="voting.poll_closed").exists()
    done = client.post(url, {"reason": "Enough votes", "confirm": "on"})
    assert done.status_code == 302 and done["Location"] == f"/console/voting/poll/{open_poll.pk}/change/"
    poll = Poll.objects.get(pk=open_poll.pk)
    assert poll.status == "closed" and poll.closed_at is not None and poll.closes_at <= poll.closed_at
    entry = AuditEntry.objects.get(action="voting.poll_closed")
    assert entry.actor == operator and entry.reason == "Enough votes"
    # Nothing more to close: the page says so and a second post changes nothing.
    again = client.post(url, {"reason": "Again", "confirm": "on"})
    assert again.status_code == 409 and b'data-testid="not-possible"' in again.content
    assert AuditEntry.objects.filter(action="voting.poll_closed").count() == 1


def test_publishing_needs_a_confirmation_and_is_audited(open_poll, operator):
    services.poll_close(poll_id=open_poll.pk, actor=operator, reason="test")
    client = signed_in(operator)
    url = f"/voting/staff/polls/{open_poll.pk}/publish/"
    page = client.get(url)
    assert page.status_code == 200 and b"cannot be withdrawn" in page.content
    assert client.post(url, {}).status_code == 422
    assert Poll.objects.get(pk=open_poll.pk).status == "closed"
    assert client.post(url, {"confirm": "on"}).status_code == 302
    assert Poll.objects.get(pk=open_poll.pk).status == "published"
    assert AuditEntry.objects.get(action="voting.poll_published").actor == operator


def test_the_console_list_has_no_close_or_publish_action_and_links_the_pages(open_poll, operator):
    client = signed_in(operator)
    listing = client.get("/console/voting/poll/")
    assert b'value="close_now"' not in listing.content and b'value="publish"' not in listing.content
    change = client.get(f"/console/voting/poll/{open_poll.pk}/change/")
    assert f"/voting/staff/polls/{open_poll.pk}/close/".encode() in change.content


@pytest.mark.parametrize("role", [roles.MODERATOR, roles.BUILDING_ADMINISTRATOR, roles.PARTNER_STAFF, None])
def test_anyone_but_an_operator_gets_nothing(open_poll, operator, role):
    person = ResidentFactory(level="full", roles=[role] if role else [], is_staff=role is not None)
    client = signed_in(person)
    for move in ("close", "publish"):
        url = f"/voting/staff/polls/{open_poll.pk}/{move}/"
        assert client.get(url).status_code == 404
        assert client.post(url, {"reason": "x", "confirm": "on"}).status_code == 404
    assert Poll.objects.get(pk=open_poll.pk).status == "open"
    assert not AuditEntry.objects.filter(action__startswith="voting.poll_c").exists()
    with pytest.raises(Exception) as refusal:
        services.poll_close(poll_id=open_poll.pk, actor=person, reason="x")
    assert getattr(refusal.value, "code", "") == "forbidden"
    assert Poll.objects.get(pk=open_poll.pk).status == "open"


def test_the_confirmation_is_in_russian(open_poll, operator):
    page = signed_in(operator).get(f"/voting/staff/polls/{open_poll.pk}/close/", HTTP_ACCEPT_LANGUAGE="ru")
    assert "Это нельзя отменить." in page.content.decode()
