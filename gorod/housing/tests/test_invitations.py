"""Invitations of neighbours by link: single use, expiry, signed tokens, points on confirmation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone

from gorod.accounts import roles
from gorod.accounts.models import Resident
from gorod.accounts.tests.factories import ResidentFactory
from gorod.housing import errors
from gorod.housing.buildings import services as services_buildings
from gorod.housing.invitations.rules import invitation_token
from gorod.housing.invitations.services import invitation_accept, invitation_create
from gorod.housing.models import Invitation, PremiseLink
from gorod.housing.tests.factories import AdministratorFactory, BuildingFactory, LinkFactory, PremiseFactory
from gorod.points import selectors as points
from gorod.points.models import Transfer

pytestmark = pytest.mark.django_db


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


@pytest.fixture
def flat(building):
    return PremiseFactory(building=building, number="21")


def accept(token, person, number="21", role="tenant"):
    return invitation_accept(token=token, resident=person, premise_number=number, role=role)


def nothing_redeemed(invitation, person):
    invitation.refresh_from_db()
    assert invitation.invitee_id is None and invitation.link_id is None
    assert not PremiseLink.objects.filter(resident=person).exists()
    assert not Transfer.objects.filter(reason="invite_neighbour").exists()


def test_confirmed_invitee_earns_the_inviter_points_once(building, owner, flat, administrator):
    invitation = invitation_create(building=building, inviter=owner)
    assert invitation.expires_at - invitation.created_at == dt.timedelta(days=14)
    invitee = ResidentFactory()
    link = accept(invitation_token(invitation), invitee)
    invitation.refresh_from_db()
    assert link.status == "pending" and invitation.invitee == invitee and invitation.link == link
    assert points.balance(owner).balance == 0  # nothing until the administrator confirms
    services_buildings.link_confirm(link=link, actor=administrator)
    assert points.balance(owner).balance == 20  # invite_neighbour, standard account
    assert Transfer.objects.get(reason="invite_neighbour").source_key == f"invite:{invitee.pk}"
    # The same invitee redeeming a second neighbour's link elsewhere earns nobody anything more.
    second_building = BuildingFactory()
    other = ResidentFactory(level="full")
    LinkFactory(resident=other, premise=PremiseFactory(building=second_building, number="1"))
    elsewhere = invitation_create(building=second_building, inviter=other)
    PremiseFactory(building=second_building, number="2")
    again = accept(invitation_token(elsewhere), invitee, number="2")
    services_buildings.link_confirm(link=again, actor=ResidentFactory(roles=[roles.OPERATOR], is_staff=True))
    assert (
        points.balance(other).balance == 0 and Transfer.objects.filter(reason="invite_neighbour").count() == 1
    )


def test_simplified_inviter_earns_nothing(building, flat, administrator):
    inviter = ResidentFactory(level="simplified")
    LinkFactory(resident=inviter, premise=PremiseFactory(building=building, number="1"))
    link = accept(invitation_token(invitation_create(building=building, inviter=inviter)), ResidentFactory())
    services_buildings.link_confirm(link=link, actor=administrator)
    assert points.balance(inviter).balance == 0


def test_rejected_link_earns_nothing(building, owner, flat, administrator):
    link = accept(invitation_token(invitation_create(building=building, inviter=owner)), ResidentFactory())
    services_buildings.link_reject(link=link, actor=administrator, reason="Not a resident")
    assert points.balance(owner).balance == 0 and not Transfer.objects.exists()


def test_administrator_of_another_building_cannot_confirm_the_invited_link(building, owner, flat):
    link = accept(invitation_token(invitation_create(building=building, inviter=owner)), ResidentFactory())
    stranger_admin = ResidentFactory(roles=[roles.BUILDING_ADMINISTRATOR], is_staff=True)
    AdministratorFactory(building=BuildingFactory(), resident=stranger_admin)
    with pytest.raises(errors.NotYourBuilding):
        services_buildings.link_confirm(link=link, actor=stranger_admin)
    link.refresh_from_db()
    assert link.status == "pending" and not Transfer.objects.exists()


def test_only_residents_of_the_building_make_invitations(building):
    elsewhere = ResidentFactory()
    LinkFactory(resident=elsewhere, premise=PremiseFactory(), role="owner")
    for person in (ResidentFactory(), elsewhere):
        with pytest.raises(errors.NotBuildingResident):
            invitation_create(building=building, inviter=person)
    assert not Invitation.objects.exists()


def test_expired_used_own_and_altered_links_are_refused_with_codes(building, owner, flat):
    invitation = invitation_create(building=building, inviter=owner)
    token = invitation_token(invitation)
    late = ResidentFactory()
    with pytest.raises(errors.InvitationExpired) as expired:
        invitation_accept(
            token=token,
            resident=late,
            premise_number="21",
            role="tenant",
            now=timezone.now() + dt.timedelta(days=15),
        )
    assert expired.value.code == "invitation_expired" and expired.value.status == 410
    nothing_redeemed(invitation, late)

    with pytest.raises(errors.InvitationOwn):
        accept(token, owner)
    assert PremiseLink.objects.filter(resident=owner).count() == 1
    for forged in (token[:-2] + "xx", token.split(":")[0], "", "abc:def"):
        with pytest.raises(errors.InvitationInvalid):
            accept(forged, late)
    nothing_redeemed(invitation, late)
    with pytest.raises(errors.PremiseNotFound):
        accept(token, late, number="404")
    nothing_redeemed(invitation, late)

    accept(token, ResidentFactory())
    with pytest.raises(errors.InvitationUsed) as used:
        accept(token, late)
    assert used.value.code == "invitation_used"
    assert not PremiseLink.objects.filter(resident=late).exists()


def test_existing_resident_cannot_redeem_a_link_for_their_building(building, owner, flat):
    neighbour = ResidentFactory()
    LinkFactory(resident=neighbour, premise=PremiseFactory(building=building, number="3"))
    invitation = invitation_create(building=building, inviter=owner)
    with pytest.raises(errors.InvitationAlreadyResident):
        accept(invitation_token(invitation), neighbour)
    invitation.refresh_from_db()
    assert invitation.invitee_id is None and PremiseLink.objects.filter(resident=neighbour).count() == 1


def test_api_invitations(building, owner, flat, administrator):
    client = signed_in(owner)
    made = client.post(
        "/api/v1/home/invitations", {"building_id": building.pk}, content_type="application/json"
    )
    assert made.status_code == 201 and made.json()["status"] == "active"
    token = made.json()["token"]
    assert made.json()["url"] == f"{django_settings.GOROD_SITE_URL}/housing/invite/{token}/"  # not the Host
    assert client.get("/api/v1/home/invitations").json()[0]["token"] == token

    invitee = signed_in(ResidentFactory())
    looked = invitee.get("/api/v1/home/invitations/lookup", {"token": token})
    assert looked.status_code == 200 and looked.json()["building"] == building.address
    own = client.get("/api/v1/home/invitations/lookup", {"token": token})
    assert own.status_code == 409 and own.json()["code"] == "invitation_own"
    body = {"token": token, "premise_number": "21", "role": "tenant"}
    accepted = invitee.post("/api/v1/home/invitations/accept", body, content_type="application/json")
    assert accepted.status_code == 201 and accepted.json()["status"] == "pending"
    again = signed_in(ResidentFactory()).post(
        "/api/v1/home/invitations/accept", body, content_type="application/json"
    )
    assert again.status_code == 409 and again.json()["code"] == "invitation_used"
    forged = invitee.post(
        "/api/v1/home/invitations/accept", {**body, "token": token + "x"}, content_type="application/json"
    )
    assert forged.status_code == 404 and forged.json()["code"] == "invitation_invalid"
    assert PremiseLink.objects.filter(premise=flat).count() == 1

    outsider = signed_in(ResidentFactory())
    refused = outsider.post(
        "/api/v1/home/invitations", {"building_id": building.pk}, content_type="application/json"
    )
    assert refused.status_code == 403 and Invitation.objects.count() == 1


def test_invitee_signs_up_through_the_link_and_asks_for_a_premise(building, owner, flat, administrator):
    invitation = invitation_create(building=building, inviter=owner)
    path = f"/housing/invite/{invitation_token(invitation)}/"
    browser = Client()
    page = browser.get(path)
    assert page.status_code == 200 and building.address in page.content.decode()
    assert "/accounts/sign-up/?next=" in page.content.decode()
    signed_up = browser.post(
        "/accounts/sign-up/",
        {
            "username": "newcomer",
            "first_name": "Nina",
            "email": "nina@example.test",
            "password": "a-long-city-password",
            "consent": "on",
            "next": path,
        },
    )
    assert signed_up.status_code == 302 and signed_up["Location"] == path
    evil = Client().post(
        "/accounts/sign-up/",
        {
            "username": "evil",
            "first_name": "E",
            "email": "e@example.test",
            "password": "a-long-city-password",
            "consent": "on",
            "next": "https://evil.example/",
        },
    )
    assert evil["Location"] == "/"
    done = browser.post(path, {"number": "21", "role": "tenant", "document_number": ""})
    assert done.status_code == 302
    newcomer = Resident.objects.get(username="newcomer")
    link = PremiseLink.objects.get(resident=newcomer)
    services_buildings.link_confirm(link=link, actor=administrator)
    assert points.balance(owner).balance == 20
    used = Client().get(path)
    assert used.status_code == 409 and b"invitation_used" in used.content
    assert Client().get("/housing/invite/nonsense/").status_code == 404

    mine = signed_in(owner).get("/housing/invitations/")
    assert mine.status_code == 200
    created = signed_in(owner).post("/housing/invitations/", {"building": building.pk})
    assert created.status_code == 302 and Invitation.objects.count() == 2
    refused = signed_in(newcomer).post("/housing/invitations/", {"building": BuildingFactory().pk})
    assert refused.status_code == 422 and Invitation.objects.count() == 2
