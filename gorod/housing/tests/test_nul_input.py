"""NUL characters (PostgreSQL cannot store them) are refused with a code, never a server error."""

from __future__ import annotations

import pytest
from django.test import Client

from gorod.accounts.tests.factories import ResidentFactory
from gorod.housing import tabular
from gorod.housing.invitations.rules import invitation_token
from gorod.housing.invitations.services import invitation_create
from gorod.housing.models import Announcement, PremiseLink

pytestmark = pytest.mark.django_db


def test_nul_in_texts_is_refused_and_nothing_written(building, owner, premise):
    client = Client()
    client.force_login(owner)
    posted = client.post(
        f"/api/v1/home/buildings/{building.pk}/announcements",
        {"title": "a\x00b", "body": "x"},
        content_type="application/json",
    )
    # refused once for the whole API, before any view (gorod.core.text_input)
    assert posted.status_code == 422 and posted.json()["code"] == "invalid_characters"
    newcomer = Client()
    person = ResidentFactory()
    newcomer.force_login(person)
    linked = newcomer.post(
        "/api/v1/home/links",
        {"premise_id": premise.pk, "role": "tenant", "document_number": "a\x00"},
        content_type="application/json",
    )
    assert linked.status_code == 422
    token = invitation_token(invitation_create(building=building, inviter=owner))
    accepted = newcomer.post(
        "/api/v1/home/invitations/accept",
        {"token": token, "premise_number": "1\x00", "role": "tenant"},
        content_type="application/json",
    )
    assert accepted.status_code == 422 and accepted.json()["code"] == "invalid_characters"
    assert not Announcement.objects.exists() and not PremiseLink.objects.filter(resident=person).exists()
    with pytest.raises(tabular.UnreadableTable):
        tabular.from_csv("premise,area\n1\x00,2\n")
