"""Issue 26: a building administrator's site actions through the API: official and emergency
notices, moderating residents' announcements, ending an emergency, deciding link requests. Each
refusal leaves everything as it was."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from gorod.accounts import services as accounts
from gorod.accounts.tests.factories import ResidentFactory
from gorod.housing.board import services as services_board
from gorod.housing.models import Announcement, AnnouncementStatus, LinkStatus, PremiseLink
from gorod.housing.tests.factories import BuildingFactory, LinkFactory, OwnershipFactory

pytestmark = pytest.mark.django_db


def _client(resident) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {accounts.api_token_issue(resident=resident, name='t')[1]}")


def _post(client, path, body=None):
    return client.post(path, json.dumps(body or {}), content_type="application/json")


@pytest.fixture
def admin_client(administrator):
    return _client(administrator)


def test_official_and_emergency_notices_then_the_emergency_ends(admin_client, building, owner):
    base = f"/api/v1/home/buildings/{building.pk}/announcements"
    plain = _post(admin_client, f"{base}/official", {"title": "Lift", "body": "Lift checks on Monday"})
    urgent = _post(
        admin_client, f"{base}/official", {"title": "Water", "body": "No water", "emergency": True}
    )
    assert plain.status_code == urgent.status_code == 201
    assert urgent.json()["emergency"] and urgent.json()["official"] and urgent.json()["status"] == "approved"
    board = _client(owner).get(base).json()
    assert [a["title"] for a in board] == ["Water", "Lift"]
    not_pinned = _post(admin_client, f"{base}/{plain.json()['id']}/emergency-end")
    assert not_pinned.status_code == 409 and not_pinned.json()["code"] == "announcement_not_pinned"
    ended = _post(admin_client, f"{base}/{urgent.json()['id']}/emergency-end")
    assert ended.status_code == 200 and ended.json()["emergency"] is False
    assert not Announcement.objects.filter(emergency=True).exists()


def test_a_resident_may_not_post_official_notices_nor_end_an_emergency(admin_client, building, owner):
    base = f"/api/v1/home/buildings/{building.pk}/announcements"
    urgent = _post(
        admin_client, f"{base}/official", {"title": "Water", "body": "No water", "emergency": True}
    )
    resident = _client(owner)
    denied = _post(resident, f"{base}/official", {"title": "Fake", "body": "Fake", "emergency": True})
    assert denied.status_code == 403 and denied.json()["code"] == "not_building_administrator"
    end = _post(resident, f"{base}/{urgent.json()['id']}/emergency-end")
    assert end.status_code == 403 and end.json()["code"] == "not_building_administrator"
    assert Announcement.objects.get().emergency and Announcement.objects.count() == 1
    assert resident.get("/api/v1/home/admin/announcements").json() == []


def test_board_moderation_through_the_api(admin_client, administrator, building, owner):
    first = services_board.announcement_post(building=building, author=owner, title="Sofa", body="Free sofa")
    second = services_board.announcement_post(building=building, author=owner, title="Ad", body="Buy now")
    other = BuildingFactory()
    queue = admin_client.get("/api/v1/home/admin/announcements").json()
    assert [a["id"] for a in queue] == [first.pk, second.pk]
    approve = _post(admin_client, f"/api/v1/home/admin/announcements/{first.pk}/decision", {"approve": True})
    assert approve.status_code == 200 and approve.json()["status"] == "approved"
    no_reason = _post(
        admin_client, f"/api/v1/home/admin/announcements/{second.pk}/decision", {"approve": False}
    )
    assert no_reason.status_code == 422 and no_reason.json()["code"] == "announcement_reason_required"
    assert Announcement.objects.get(pk=second.pk).status == AnnouncementStatus.PENDING
    reject = _post(
        admin_client,
        f"/api/v1/home/admin/announcements/{second.pk}/decision",
        {"approve": False, "reason": "Ad"},
    )
    assert reject.json()["status"] == "rejected" and reject.json()["reason"] == "Ad"
    again = _post(admin_client, f"/api/v1/home/admin/announcements/{first.pk}/decision", {"approve": True})
    assert again.status_code == 409 and again.json()["code"] == "announcement_not_pending"
    # another building's board is not theirs to moderate
    elsewhere = Announcement.objects.create(building=other, author=owner, title="Elsewhere", body="Hi")
    foreign = _post(
        admin_client, f"/api/v1/home/admin/announcements/{elsewhere.pk}/decision", {"approve": True}
    )
    assert foreign.status_code == 403 and foreign.json()["code"] == "not_building_administrator"
    assert Announcement.objects.get(pk=elsewhere.pk).status == AnnouncementStatus.PENDING
    missing = _post(admin_client, "/api/v1/home/admin/announcements/999999/decision", {"approve": True})
    assert missing.status_code == 404 and missing.json()["code"] == "announcement_not_found"


def test_link_requests_confirmed_against_the_register_or_rejected(admin_client, premise, owner):
    claimant, liar = ResidentFactory(level="standard"), ResidentFactory(level="standard")
    OwnershipFactory(premise=premise, owner=None, owner_name="Anna", document_number="77-1")
    good = LinkFactory(
        resident=claimant, premise=premise, role="owner", status="pending", document_number="77-1"
    )
    bad = LinkFactory(resident=liar, premise=premise, role="owner", status="pending", document_number="00-0")
    pending = admin_client.get("/api/v1/home/admin/links").json()
    assert {p["link"]["id"] for p in pending} == {good.pk, bad.pk}
    # the owner's own token is no administrator's
    denied = _post(_client(owner), f"/api/v1/home/admin/links/{good.pk}/decision", {"approve": True})
    assert denied.status_code == 403 and PremiseLink.objects.get(pk=good.pk).status == LinkStatus.PENDING
    not_in_register = _post(admin_client, f"/api/v1/home/admin/links/{bad.pk}/decision", {"approve": True})
    assert not_in_register.status_code in (409, 422)
    assert not_in_register.json()["code"] == "owner_not_in_register"
    assert PremiseLink.objects.get(pk=bad.pk).status == LinkStatus.PENDING
    confirmed = _post(admin_client, f"/api/v1/home/admin/links/{good.pk}/decision", {"approve": True})
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"
    rejected = _post(
        admin_client, f"/api/v1/home/admin/links/{bad.pk}/decision", {"approve": False, "reason": "No"}
    )
    assert rejected.json()["status"] == "rejected"
    twice = _post(admin_client, f"/api/v1/home/admin/links/{good.pk}/decision", {"approve": False})
    assert twice.status_code == 409 and twice.json()["code"] == "link_not_pending"
    assert (
        _post(admin_client, "/api/v1/home/admin/links/999999/decision", {"approve": True}).status_code == 404
    )
    assert Client().get("/api/v1/home/admin/links").status_code == 401
