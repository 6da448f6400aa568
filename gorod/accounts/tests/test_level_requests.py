"""Account levels change only through a checked request: who checked which document, when, the
outcome and why; refusals change nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from gorod.accounts import roles
from gorod.accounts.models import AuditEntry, LevelChange, LevelRequest, Resident
from gorod.accounts.tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


@pytest.fixture
def operator(db):
    return ResidentFactory(level="full", roles=[roles.OPERATOR], is_staff=True)


@pytest.fixture
def filed(db):
    resident = ResidentFactory(level="simplified", first_name="Olga", last_name="Ivanova")
    response = signed_in(resident).post(
        "/accounts/level/", {"to_level": "full", "document_number": "45 12 345678"}
    )
    assert response.status_code == 302
    return LevelRequest.objects.get(resident=resident)


def test_the_resident_files_a_request_and_bad_ones_are_refused(db):
    resident = ResidentFactory(level="standard")
    client = signed_in(resident)
    assert (
        client.post("/accounts/level/", {"to_level": "standard", "document_number": "4512345678"}).status_code
        == 422
    )
    bad_number = client.post("/accounts/level/", {"to_level": "full", "document_number": "12-34"})
    assert bad_number.status_code == 422 and "10 digits" in bad_number.content.decode()
    assert not LevelRequest.objects.exists()
    assert (
        client.post("/accounts/level/", {"to_level": "full", "document_number": "4512345678"}).status_code
        == 302
    )
    second = client.post("/accounts/level/", {"to_level": "full", "document_number": "4512345679"})
    assert second.status_code == 422 and LevelRequest.objects.count() == 1
    assert Resident.objects.get(pk=resident.pk).level == "standard"  # filing changes nothing


def test_the_operator_approves_after_checking_and_it_is_recorded(filed, operator):
    client = signed_in(operator)
    queue = client.get("/accounts/staff/level-requests/")
    assert queue.status_code == 200 and b"Olga Ivanova" in queue.content
    page = client.get(f"/accounts/staff/level-requests/{filed.pk}/")
    assert b"4512345678" in page.content
    unchecked = client.post(f"/accounts/staff/level-requests/{filed.pk}/", {"decision": "approve"})
    assert unchecked.status_code == 422
    assert Resident.objects.get(pk=filed.resident_id).level == "simplified"
    done = client.post(
        f"/accounts/staff/level-requests/{filed.pk}/", {"decision": "approve", "checked": "on"}
    )
    assert done.status_code == 302
    decided = LevelRequest.objects.get(pk=filed.pk)
    assert decided.status == "approved" and decided.checked_by == operator and decided.checked_at is not None
    assert decided.document_number == "******5678"  # the full number is not kept after the check
    assert Resident.objects.get(pk=filed.resident_id).level == "full"
    change = LevelChange.objects.get(resident_id=filed.resident_id)
    assert (
        decided.change == change
        and change.changed_by == operator
        and f"level request {filed.pk}" in change.reason
    )
    assert AuditEntry.objects.filter(action="resident.level_request_decide", actor=operator).count() == 1
    assert AuditEntry.objects.filter(action="resident.level_change").count() == 1
    again = client.post(f"/accounts/staff/level-requests/{filed.pk}/", {"decision": "reject", "reason": "x"})
    assert again.status_code == 409 and LevelRequest.objects.get(pk=filed.pk).status == "approved"


def test_a_rejection_needs_a_reason_and_leaves_the_level(filed, operator):
    client = signed_in(operator)
    url = f"/accounts/staff/level-requests/{filed.pk}/"
    assert client.post(url, {"decision": "reject"}).status_code == 422
    assert LevelRequest.objects.get(pk=filed.pk).status == "pending"
    assert (
        client.post(url, {"decision": "reject", "reason": "The passport belongs to someone else"}).status_code
        == 302
    )
    decided = LevelRequest.objects.get(pk=filed.pk)
    assert decided.status == "rejected" and decided.reason.startswith("The passport")
    assert Resident.objects.get(pk=filed.resident_id).level == "simplified"
    assert not LevelChange.objects.exists()
    mine = signed_in(decided.resident).get("/accounts/level/")
    assert b"The passport belongs to someone else" in mine.content


@pytest.mark.parametrize(
    "role",
    [roles.MODERATOR, roles.BUILDING_ADMINISTRATOR, roles.PARTNER_STAFF, roles.ORGANISATION_RESPONDER, None],
)
def test_nobody_but_an_operator_reviews(filed, role):
    person = ResidentFactory(level="full", roles=[role] if role else [], is_staff=role is not None)
    client = signed_in(person)
    assert client.get("/accounts/staff/level-requests/").status_code == 404
    url = f"/accounts/staff/level-requests/{filed.pk}/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"decision": "approve", "checked": "on"}).status_code == 404
    assert LevelRequest.objects.get(pk=filed.pk).status == "pending"
    assert Resident.objects.get(pk=filed.resident_id).level == "simplified"


def test_an_operator_does_not_check_their_own_request(operator):
    operator.level = "standard"
    operator.save(update_fields=["level"])
    signed_in(operator).post("/accounts/level/", {"to_level": "full", "document_number": "4512345678"})
    own = LevelRequest.objects.get(resident=operator)
    response = signed_in(operator).post(
        f"/accounts/staff/level-requests/{own.pk}/", {"decision": "approve", "checked": "on"}
    )
    assert response.status_code == 422 and LevelRequest.objects.get(pk=own.pk).status == "pending"


def test_the_console_has_no_level_buttons(operator):
    listing = signed_in(operator).get("/console/accounts/resident/")
    assert b"make_full" not in listing.content and b"make_standard" not in listing.content


def test_the_pages_are_in_russian(filed, operator):
    page = signed_in(operator).get("/accounts/staff/level-requests/", HTTP_ACCEPT_LANGUAGE="ru")
    assert "Заявки на уровень учётной записи" in page.content.decode()
