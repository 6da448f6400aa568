"""Permission matrices of personal data: an export holds only its requester's data, another
resident's notifications cannot be read or marked, an unsubscribe link works for its own
resident and kind only."""

from __future__ import annotations

import base64
import json

import pytest
from django.test import Client

from gorod.notifications import services as notifications
from gorod.notifications.models import Notification, Preference
from tests.permissions.conftest import ROLES, Attempt, Cast, nothing_written, run_matrix

pytestmark = pytest.mark.django_db

SIGNED_IN = frozenset(ROLES) - {"anonymous"}


def _notification_of(cast: Cast) -> Notification:
    resident = cast.user("resident")
    notifications.notify(
        resident_ids=[resident.pk],
        kind="problems",
        event_key=f"matrix:{Notification.objects.count()}",
        title="Your report about the broken bench #77 was answered",
        body="Private body",
        url="/problems/",
    )
    return Notification.objects.filter(resident=resident).latest("pk")


def test_export_holds_only_the_requesters_data(cast):
    resident, other = cast.user("resident"), cast.user("other_resident")
    for role in ROLES:
        for url in ("/privacy/export.json", "/api/v1/me/export"):
            response = cast.client(role).get(url)
            if role == "anonymous":
                assert response.status_code in (302, 401), url
                continue
            assert response.status_code == 200, (role, url)
            me = cast.user(role)
            body = response.content.decode()
            assert json.loads(body)["profile"]["id"] == me.pk, (role, url)
            for someone in (resident, other):
                if someone.pk != me.pk:
                    assert f'"{someone.email}"' not in body and f'"{someone.username}"' not in body, (
                        role,
                        url,
                    )


def test_notification_matrix(cast):
    def read(client: Client, target: Notification) -> bool:
        return target.title.encode() in client.get("/notifications/").content

    def read_api(client: Client, target: Notification) -> bool:
        response = client.get("/api/v1/notifications")
        return response.status_code == 200 and target.title in response.content.decode()

    def mark(client: Client, target: Notification) -> bool:
        client.post("/api/v1/notifications/read", {"ids": [target.pk]}, content_type="application/json")
        return Notification.objects.get(pk=target.pk).read_at is not None

    def mark_site(client: Client, target: Notification) -> bool:
        client.post("/notifications/read/", {"ids": [str(target.pk)]})
        return Notification.objects.get(pk=target.pk).read_at is not None

    owner = frozenset({"resident"})
    run_matrix(cast, Attempt(lambda: _notification_of(cast), read, writes=False), owner)
    run_matrix(cast, Attempt(lambda: _notification_of(cast), read_api, writes=False), owner)
    for act in (mark, mark_site):
        results = {}
        for role in ROLES:
            target = _notification_of(cast)
            results[role] = act(cast.client(role), target)
        assert {r for r, ok in results.items() if ok} == owner


def test_unsubscribe_link_cannot_be_turned_to_another_resident(cast):
    resident, other = cast.user("resident"), cast.user("other_resident")
    token = notifications.unsubscribe_token(resident.pk, "problems")
    payload, _, rest = token.partition(":")
    forged_payload = base64.urlsafe_b64encode(json.dumps({"r": other.pk, "k": "problems"}).encode())
    forged = forged_payload.decode().rstrip("=") + ":" + rest
    for role in ROLES:
        with nothing_written():
            response = cast.client(role).post(f"/notifications/unsubscribe/{forged}/")
        assert response.status_code == 400, role
    assert not Preference.objects.filter(resident=other).exists()
    # The genuine link unsubscribes its own resident from its own kind, whoever clicks it.
    assert Client().post(f"/notifications/unsubscribe/{token}/").status_code == 200
    assert list(Preference.objects.values_list("resident_id", "kind", "by_email")) == [
        (resident.pk, "problems", False)
    ]
    assert payload  # the token has the signed-payload shape this test forges


def test_preferences_change_only_ones_own(cast):
    for role in sorted(SIGNED_IN - {"resident"}):
        cast.client(role).post("/notifications/preferences/", {"email_problems": ""})
    assert not Preference.objects.filter(resident=cast.user("resident")).exists()
    assert Preference.objects.exists()
