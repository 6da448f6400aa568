from __future__ import annotations

import json

import pytest
from django.urls import reverse

from gorod.accounts import services as account_services
from gorod.accounts.tests.factories import ResidentFactory
from gorod.missions import services
from gorod.missions.models import Evidence, Participation, ProofMethod
from gorod.missions.tests.conftest import make_challenge

pytestmark = pytest.mark.django_db


def _bearer(user) -> dict:
    _t, plain = account_services.api_token_issue(resident=user, name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {plain}"}


def test_list_page_query_count_is_bounded(client, resident, django_assert_max_num_queries):
    for n in range(12):
        c = make_challenge(title=f"C{n}")
        services.participation_join(challenge=c, resident=resident)
    client.force_login(resident)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("missions:list"))
    assert response.status_code == 200
    assert "C11" in response.content.decode()


def test_join_leave_through_pages(client, resident, challenge):
    client.force_login(resident)
    client.post(reverse("missions:join", args=[challenge.pk]))
    page = client.get(reverse("missions:detail", args=[challenge.pk])).content.decode()
    assert "Your mission code" in page and "15,000" in page
    client.post(reverse("missions:leaderboard", args=[challenge.pk]), {"show": "1"})
    assert Participation.objects.get().show_on_leaderboard
    client.post(reverse("missions:leave", args=[challenge.pk]))
    assert Participation.objects.get().left_at is not None


def test_ineligible_join_page_shows_reason_and_stores_nothing(client):
    challenge = make_challenge(min_level="full")
    client.force_login(ResidentFactory(level="standard"))
    response = client.post(reverse("missions:join", args=[challenge.pk]), follow=True)
    assert "cannot join" in response.content.decode()
    assert not Participation.objects.exists()


def test_staff_pages_are_forbidden_to_residents(client, resident, challenge):
    client.force_login(resident)
    assert client.get(reverse("missions:evidence", args=[challenge.pk])).status_code == 403
    assert client.get(reverse("missions:import", args=[challenge.pk])).status_code == 403
    assert client.get(reverse("missions:partner")).status_code == 403


def test_operator_page_refusal_keeps_the_message_next_to_the_field(client, operator, challenge):
    client.force_login(operator)
    response = client.post(
        reverse("missions:evidence", args=[challenge.pk]), {"resident": "ghost", "key": "n1", "quantity": 1}
    )
    assert response.status_code == 400
    assert "No resident or mission code ghost" in response.content.decode()
    assert not Evidence.objects.exists()


def test_import_page_refuses_a_bad_file(client, partner_staff, resident):
    from django.core.files.uploadedfile import SimpleUploadedFile

    challenge = make_challenge(proof_method=ProofMethod.CSV, confirmers=[partner_staff])
    services.participation_join(challenge=challenge, resident=resident)
    client.force_login(partner_staff)
    upload = SimpleUploadedFile("f.csv", b"resident,evidence\nghost,b1\n", content_type="text/csv")
    response = client.post(reverse("missions:import", args=[challenge.pk]), {"file": upload})
    assert response.status_code == 400 and "ghost" in response.content.decode()
    good = SimpleUploadedFile(
        "f.csv", f"resident,evidence\n{resident.username},b1\n".encode(), content_type="text/csv"
    )
    client.post(reverse("missions:import", args=[challenge.pk]), {"file": good})
    assert Evidence.objects.count() == 1


def test_api_join_progress_and_refusals(api_client, resident, challenge, operator):
    url = f"/api/v1/missions/challenges/{challenge.pk}"
    assert api_client.post(f"{url}/join").status_code == 201
    again = api_client.post(f"{url}/join")
    assert again.status_code == 409 and again.json()["code"] == "challenge_already_joined"
    forbidden = api_client.post(
        f"{url}/evidence",
        json.dumps({"resident": resident.username, "evidence": "n1"}),
        content_type="application/json",
    )
    assert forbidden.status_code == 403 and not Evidence.objects.exists()
    from django.test import Client

    op = Client(**_bearer(operator))
    created = op.post(
        f"{url}/evidence",
        json.dumps({"resident": resident.username, "evidence": "n1"}),
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["points"] == 1000
    replay = op.post(
        f"{url}/evidence",
        json.dumps({"resident": resident.username, "evidence": "n1"}),
        content_type="application/json",
    )
    assert replay.status_code == 200 and replay.json()["created"] is False
    unknown = op.post(
        f"{url}/evidence",
        json.dumps({"resident": "ghost", "evidence": "n2"}),
        content_type="application/json",
    )
    assert unknown.status_code == 404 and unknown.json()["code"] == "unknown_resident"
    me = api_client.get(f"{url}/me").json()
    assert (me["progress"], me["points_earned"], me["cap"], me["remaining_allowance"]) == (
        1,
        1000,
        15000,
        14000,
    )
    assert (
        api_client.put(
            f"{url}/leaderboard", json.dumps({"show": True}), content_type="application/json"
        ).status_code
        == 200
    )
    assert api_client.get(f"{url}/leaderboard").json()[0]["progress"] == 1


def test_api_list_is_public_and_bounded(client, django_assert_max_num_queries):
    for n in range(5):
        make_challenge(title=f"C{n}")
    with django_assert_max_num_queries(4):
        body = client.get("/api/v1/missions/challenges").json()
    assert len(body["items"]) == 5


def test_api_import_and_code_confirmation(resident, partner_staff):
    from django.test import Client

    staff = Client(**_bearer(partner_staff))
    csv_challenge = make_challenge(proof_method=ProofMethod.CSV, confirmers=[partner_staff])
    code_challenge = make_challenge(
        proof_method=ProofMethod.PARTNER_CODE, points_per_unit=100, confirmers=[partner_staff]
    )
    services.participation_join(challenge=csv_challenge, resident=resident)
    p = services.participation_join(challenge=code_challenge, resident=resident)
    body = json.dumps({"csv": f"resident,evidence,quantity\n{resident.username},b1,2\n"})
    first = staff.post(
        f"/api/v1/missions/challenges/{csv_challenge.pk}/import", body, content_type="application/json"
    )
    assert first.json() == {"added": 1, "repeated": 0, "points": 2000}
    second = staff.post(
        f"/api/v1/missions/challenges/{csv_challenge.pk}/import", body, content_type="application/json"
    )
    assert second.json() == {"added": 0, "repeated": 1, "points": 0}
    confirmed = staff.post(
        "/api/v1/missions/confirmations",
        json.dumps({"code": p.code, "evidence": "km-1", "quantity": 5}),
        content_type="application/json",
    )
    assert confirmed.status_code == 201 and confirmed.json()["points"] == 500


def test_console_refuses_a_challenge_without_a_rule_next_to_the_field(client):
    admin_user = ResidentFactory(is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:missions_challenge_add"),
        {
            "title": "Swim",
            "starts_on": "2026-01-10",
            "ends_on": "2026-01-01",
            "min_level": "standard",
            "goal_kind": "steps",
            "goal_amount": 5,
            "unit": "pools",
            "proof_method": "operator",
            "action": "swimming",
            "points_per_unit": 100,
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "no Mission City earning rule" in body and "ends before it starts" in body
    from gorod.missions.models import Challenge

    assert not Challenge.objects.exists()


def test_wrong_and_not_allowed_codes_get_the_same_answer(resident, partner_staff):
    """Issue 25: a valid code this desk may not confirm answered 403 and a wrong one 422, so a
    desk could probe which codes exist. Both now get the same status and body."""
    from django.test import Client

    other_staff = ResidentFactory(level="standard", roles=["partner_staff"], is_staff=True)
    challenge = make_challenge(proof_method=ProofMethod.PARTNER_CODE, confirmers=[partner_staff])
    p = services.participation_join(challenge=challenge, resident=resident)
    desk = Client(**_bearer(other_staff))

    def confirm(code: str) -> tuple[int, dict]:
        response = desk.post(
            "/api/v1/missions/confirmations",
            json.dumps({"code": code, "evidence": "km-1", "quantity": 1}),
            content_type="application/json",
        )
        body = response.json()
        body.get("details", {}).pop("request_id", None)
        return response.status_code, json.loads(json.dumps(body).replace(code, "<code>"))

    valid_code = p.code
    wrong_code = "M" + ("X" if valid_code[1] != "X" else "Y") + valid_code[2:]
    assert confirm(valid_code) == confirm(wrong_code)
    assert confirm(valid_code)[1]["code"] == "unknown_resident"
    assert not Evidence.objects.exists()


def test_challenge_pages_are_public(client, challenge):
    """Signed out, the list and a challenge's page show (no sign-in redirect) and offer no
    participation of the reader's."""
    listed = client.get(reverse("missions:list"))
    assert listed.status_code == 200 and challenge.title in listed.content.decode()
    detail = client.get(reverse("missions:detail", args=[challenge.pk]))
    assert detail.status_code == 200 and challenge.title in detail.content.decode()


def test_a_challenge_card_shows_the_cover_the_operator_uploaded(client, challenge, settings, tmp_path):
    """Issue 23: missions' cards have a cover like polls, news and rewards; without one the card
    keeps the city-coloured placeholder. The upload goes through the console's image field, so it
    is re-encoded by the one image policy."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gorod.core.tests.test_images import gps_jpeg

    settings.MEDIA_ROOT = tmp_path
    placeholder = client.get(reverse("missions:list")).content.decode()
    assert 'class="card-image placeholder"' in placeholder
    field = type(challenge)._meta.get_field("image").formfield()
    challenge.image = field.clean(SimpleUploadedFile("cover.jpg", gps_jpeg(), content_type="image/jpeg"))
    challenge.save()
    listed = client.get(reverse("missions:list")).content.decode()
    assert f'<img src="{challenge.image.url}"' in listed
