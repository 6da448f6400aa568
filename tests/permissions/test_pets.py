"""Permission matrix of lost and found pets: only the author closes, moderators moderate, and a
conversation is read only by the two people in it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from gorod.pets import services
from gorod.pets.models import NoticeStatus, PetMessage, PetNotice
from gorod.pets.tests.conftest import post_notice, published
from tests.permissions.conftest import ROLES, Attempt, Cast, run_matrix

pytestmark = pytest.mark.django_db

MODERATORS = frozenset({"moderator", "operator", "admin"})
SIGNED_IN = frozenset(ROLES) - {"anonymous"}
SECRET = "The cat answers to Murka and hides under the stairs"


def attempts(cast: Cast) -> dict[str, tuple[Attempt, frozenset[str]]]:
    author, moderator, writer = cast.user("resident"), cast.user("moderator"), cast.user("other_resident")

    def pending() -> PetNotice:
        return post_notice(author)

    def public() -> PetNotice:
        return published(author, moderator)

    def with_thread() -> PetNotice:
        notice = public()
        services.message_send(notice_id=notice.pk, sender=writer, body=SECRET, recipient_id=None)
        return notice

    def status_of(notice: PetNotice) -> str:
        return PetNotice.objects.get(pk=notice.pk).status

    def close_site(client: Client, notice: PetNotice) -> bool:
        client.post(f"/pets/{notice.pk}/close/")
        return status_of(notice) == NoticeStatus.CLOSED

    def close_api(client: Client, notice: PetNotice) -> bool:
        client.post(f"/api/v1/pets/notices/{notice.pk}/close")
        return status_of(notice) == NoticeStatus.CLOSED

    def moderate_site(client: Client, notice: PetNotice) -> bool:
        client.post(f"/pets/{notice.pk}/moderate/", {"decision": "publish"})
        return status_of(notice) == NoticeStatus.PUBLISHED

    def moderate_api(client: Client, notice: PetNotice) -> bool:
        client.post(
            f"/api/v1/pets/notices/{notice.pk}/moderation", {"approve": True}, content_type="application/json"
        )
        return status_of(notice) == NoticeStatus.PUBLISHED

    def message(client: Client, notice: PetNotice) -> bool:
        client.post(
            f"/api/v1/pets/notices/{notice.pk}/messages",
            {"body": "I saw it!"},
            content_type="application/json",
        )
        return PetMessage.objects.filter(notice=notice).exists()

    def read_thread(client: Client, notice: PetNotice) -> bool:
        return SECRET.encode() in client.get(f"/pets/{notice.pk}/").content

    def read(url: str) -> Any:
        return lambda client, notice: client.get(url.format(pk=notice.pk)).status_code == 200

    return {
        "close_on_the_site": (Attempt(public, close_site), frozenset({"resident"})),
        "close_through_the_api": (Attempt(public, close_api), frozenset({"resident"})),
        "moderate_on_the_site": (Attempt(pending, moderate_site), MODERATORS),
        "moderate_through_the_api": (Attempt(pending, moderate_api), MODERATORS),
        "moderation_queue": (
            Attempt(lambda: None, lambda c, _n: c.get("/pets/moderation/").status_code == 200, writes=False),
            MODERATORS,
        ),
        "see_pending_notice": (
            Attempt(pending, read("/pets/{pk}/"), writes=False),
            MODERATORS | {"resident"},
        ),
        "see_pending_notice_api": (
            Attempt(pending, read("/api/v1/pets/notices/{pk}"), writes=False),
            MODERATORS | {"resident"},
        ),
        "suggestions_of_the_notice": (
            Attempt(public, read("/api/v1/pets/notices/{pk}/suggestions"), writes=False),
            frozenset({"resident"}),
        ),
        "write_to_the_author": (Attempt(public, message), SIGNED_IN - {"resident"}),
        "read_a_conversation": (
            Attempt(with_thread, read_thread, writes=False),
            frozenset({"resident", "other_resident"}),
        ),
    }


ACTIONS = [
    "close_on_the_site",
    "close_through_the_api",
    "moderate_on_the_site",
    "moderate_through_the_api",
    "moderation_queue",
    "see_pending_notice",
    "see_pending_notice_api",
    "suggestions_of_the_notice",
    "write_to_the_author",
    "read_a_conversation",
]


@pytest.mark.parametrize("action", ACTIONS)
def test_permission_matrix(cast, action):
    attempt, expected = attempts(cast)[action]
    run_matrix(cast, attempt, expected)
