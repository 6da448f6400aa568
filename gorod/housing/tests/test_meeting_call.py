"""Calling a meeting (form, materials, notice), unanimity, verified voters, proxies after their
own vote, and the meetings API end to end. The clock is fixed: notice and voting periods are
measured from now."""

from __future__ import annotations

import datetime as dt
import json
from fractions import Fraction

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from gorod.accounts.models import AuditEntry
from gorod.accounts.tests.factories import ResidentFactory
from gorod.housing import errors
from gorod.housing.meetings import rules as rules_meetings
from gorod.housing.meetings import services
from gorod.housing.meetings import services_call as services_meeting_call
from gorod.housing.models import (
    Announcement,
    Meeting,
    MeetingBallot,
    MeetingMaterial,
    RegisterEntry,
    Threshold,
)
from gorod.housing.tests.conftest import msk
from gorod.notifications.models import Notification

pytestmark = pytest.mark.django_db
NOW = msk(2026, 3, 2, 10, 0)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def call(building, actor, *, questions=None, form="electronic", materials=(), starts=None, days=14):
    starts = starts or NOW + dt.timedelta(days=10)
    return services_meeting_call.meeting_create(
        building=building,
        title="Common property",
        questions=questions or [("Join the attic to flat 4", "unanimous"), ("Lease the roof", "two_thirds")],
        form=form,
        materials=materials,
        starts_at=starts,
        ends_at=starts + dt.timedelta(days=days),
        actor=actor,
    )


def pdf(name="plan.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 plan", content_type="application/pdf")


def answers(meeting, *choices):
    return {q.pk: c for q, c in zip(meeting.questions.order_by("position"), choices, strict=True)}


def test_unanimity_needs_every_owner_vote():
    total = Fraction(200)
    assert rules_meetings.adopted("unanimous", votes_for=total, participating=total, total=total)
    assert not rules_meetings.adopted(
        "unanimous", votes_for=total - Fraction(1, 100), participating=total, total=total
    )
    assert not rules_meetings.adopted(
        "unanimous", votes_for=Fraction(0), participating=Fraction(0), total=Fraction(0)
    )


def test_every_threshold_names_its_legal_basis_in_both_languages():
    for threshold in Threshold.values:
        english = rules_meetings.legal_basis(threshold)
        assert "Housing Code" in english
        with translation.override("ru"):
            assert "ЖК РФ" in rules_meetings.legal_basis(threshold) or "Жилищного кодекса" in (
                rules_meetings.legal_basis(threshold)
            )


def test_owner_calls_a_meeting_with_materials_and_every_owner_gets_the_notice(
    building, house, mailoutbox, django_capture_on_commit_callbacks
):
    for name in "ACDEF":
        house[name].consents_to_notifications = False
        house[name].save()
    house["B"].email = "b@example.com"
    house["B"].consents_to_notifications = True
    house["B"].save()
    with django_capture_on_commit_callbacks(execute=True):
        meeting = call(building, house["A"], materials=[pdf(), pdf("budget.xlsx")])
    assert meeting.form == "electronic" and not meeting.by_management
    assert [q.threshold for q in meeting.questions.order_by("position")] == ["unanimous", "two_thirds"]
    assert MeetingMaterial.objects.filter(meeting=meeting).count() == 2
    notice = Announcement.objects.get(building=building, title__contains="Common property")
    assert notice.status == "approved" and "Join the attic" in notice.body
    # the notice the system posts is read in each reader's language (stored as a message id)
    with translation.override("ru"):
        shown = Announcement.objects.get(pk=notice.pk)
        assert (
            shown.shown_title.startswith("Собрание собственников") and "Common property" in shown.shown_title
        )
        assert "Голосование проходит с" in shown.shown_body and "Join the attic" in shown.shown_body
        assert "Electronic" not in shown.shown_body and "Voting runs" not in shown.shown_body
    with translation.override("en"):
        assert "Voting runs from" in Announcement.objects.get(pk=notice.pk).shown_body
    assert Notification.objects.filter(event_key=f"meeting:{meeting.pk}:notice").count() == 6
    assert [m.to for m in mailoutbox] == [["b@example.com"]]
    assert AuditEntry.objects.filter(action="housing.meeting_call", object_id=str(meeting.pk)).exists()


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"materials": [SimpleUploadedFile("run.exe", b"MZ")]}, errors.MaterialNotAccepted),
        ({"form": "by_telegram"}, errors.MeetingFormInvalid),
        ({"questions": [("Paint the fence", "simple")]}, errors.MeetingAgendaEmpty),
        ({"starts": NOW + dt.timedelta(days=9)}, rules_meetings.NoticeTooShort),
        ({"days": 61}, rules_meetings.VotingPeriodInvalid),
    ],
)
def test_a_refused_call_writes_nothing(building, house, kwargs, error):
    with pytest.raises(error):
        call(building, house["A"], **kwargs)
    assert not Meeting.objects.exists() and not MeetingMaterial.objects.exists()
    assert not Announcement.objects.exists() and not Notification.objects.exists()


def test_a_stranger_or_another_buildings_administrator_cannot_call(building, house, administrator):
    from gorod.accounts import roles
    from gorod.housing.tests.factories import AdministratorFactory, BuildingFactory

    other = ResidentFactory(level="full", roles=[roles.BUILDING_ADMINISTRATOR], is_staff=True)
    AdministratorFactory(building=BuildingFactory(), resident=other)
    for person in (ResidentFactory(level="full"), other):
        with pytest.raises(errors.NotAnOwnerToInitiate):
            call(building, person)
    assert call(building, administrator).by_management


def test_unanimous_question_fails_on_one_absent_owner_two_thirds_passes(building, house, frozen_clock):
    meeting = call(building, house["A"])
    frozen_clock.move_to(meeting.starts_at + dt.timedelta(hours=1))
    for name in "ABCD":
        services.ballot_cast(meeting=meeting, resident=house[name], answers=answers(meeting, "for", "for"))
    result = services.meeting_finish(meeting=meeting, now=meeting.ends_at).result
    # F (50 of 200.01) did not vote: 150.01 for is >= 2/3 but not everyone.
    assert [q["adopted"] for q in result["questions"]] == [False, True]
    second = call(building, house["A"], starts=meeting.ends_at + dt.timedelta(days=11))
    frozen_clock.move_to(second.starts_at + dt.timedelta(hours=1))
    for name in "ABCDF":
        services.ballot_cast(meeting=second, resident=house[name], answers=answers(second, "for", "against"))
    result = services.meeting_finish(meeting=second, now=second.ends_at).result
    assert [q["adopted"] for q in result["questions"]] == [True, False]


def test_proxy_votes_for_the_principal_after_voting_for_their_own_flat(
    building, house, administrator, frozen_clock
):
    meeting = call(building, house["A"])
    frozen_clock.move_to(meeting.starts_at + dt.timedelta(hours=1))
    assert (
        services.ballot_cast(meeting=meeting, resident=house["A"], answers=answers(meeting, "for", "for"))
        == 1
    )
    principal = RegisterEntry.objects.get(meeting=meeting, owner_name="F")
    services.proxy_record(
        meeting=meeting, entry=principal, proxy=house["A"], power_of_attorney="77 AA 1", actor=administrator
    )
    # The proxy votes differently for the principal, who asked for it.
    cast = services.ballot_cast(
        meeting=meeting, resident=house["A"], answers=answers(meeting, "against", "abstain")
    )
    assert cast == 1
    assert set(MeetingBallot.objects.filter(entry=principal).values_list("choice", flat=True)) == {
        "against",
        "abstain",
    }
    with pytest.raises(errors.AlreadyVotedInMeeting):
        services.ballot_cast(meeting=meeting, resident=house["A"], answers=answers(meeting, "for", "for"))
    with pytest.raises(errors.AlreadyVotedInMeeting):
        services.paper_ballot_enter(
            meeting=meeting, entry=principal, answers=answers(meeting, "for", "for"), actor=administrator
        )
    assert MeetingBallot.objects.count() == 4


def test_a_paper_ballot_follows_the_same_rules(building, house, administrator, frozen_clock):
    meeting = call(building, house["A"], form="absentee")
    frozen_clock.move_to(meeting.starts_at + dt.timedelta(hours=1))
    with pytest.raises(errors.MeetingNotElectronic):
        services.ballot_cast(meeting=meeting, resident=house["A"], answers=answers(meeting, "for", "for"))
    services.meeting_start(meeting=meeting)
    entry = RegisterEntry.objects.get(meeting=meeting, owner_name="A")
    with pytest.raises(errors.BallotIncomplete):
        services.paper_ballot_enter(meeting=meeting, entry=entry, answers={}, actor=administrator)
    services.paper_ballot_enter(
        meeting=meeting, entry=entry, answers=answers(meeting, "for", "for"), actor=administrator
    )
    frozen_clock.move_to(meeting.ends_at)
    with pytest.raises(errors.MeetingNotOpen):
        services.paper_ballot_enter(
            meeting=meeting,
            entry=RegisterEntry.objects.get(meeting=meeting, owner_name="F"),
            answers=answers(meeting, "for", "for"),
            actor=administrator,
        )
    assert MeetingBallot.objects.count() == 2


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def test_the_api_runs_a_meeting_end_to_end(building, house, administrator, frozen_clock):
    owner = signed_in(house["A"])
    starts = NOW + dt.timedelta(days=10)
    body = {
        "building_id": building.pk,
        "title": "Roof",
        "form": "electronic",
        "questions": [
            {"subject": "Join the attic", "threshold": "unanimous"},
            {"subject": "Lease the roof", "threshold": "two_thirds"},
        ],
        "starts_at": starts.isoformat(),
        "ends_at": (starts + dt.timedelta(days=7)).isoformat(),
    }
    response = owner.post("/api/v1/home/meetings", json.dumps(body), content_type="application/json")
    assert response.status_code == 201, response.content
    meeting = response.json()
    assert [q["legal_basis"] != "" for q in meeting["questions"]] == [True, True]
    mid = meeting["id"]
    added = owner.post(f"/api/v1/home/meetings/{mid}/materials", {"files": [pdf()]})
    assert added.status_code == 201 and added.json()[0]["title"] == "plan.pdf"
    stranger = signed_in(ResidentFactory(level="full"))
    assert stranger.get(f"/api/v1/home/meetings/{mid}").json()["code"] == "meeting_not_an_owner"

    frozen_clock.move_to(starts + dt.timedelta(hours=1))
    preview = owner.get(f"/api/v1/home/meetings/{mid}/ballot").json()
    assert [(line["premise"], line["votes"], line["share"]) for line in preview] == [("1", "60/1", "1")]
    qids = [q["id"] for q in meeting["questions"]]
    too_early = owner.get(f"/api/v1/home/meetings/{mid}/results")
    assert too_early.status_code == 409 and too_early.json()["code"] == "meeting_not_finished"
    for name in "ABCDF":
        client = signed_in(house[name])
        cast = client.post(
            f"/api/v1/home/meetings/{mid}/ballots",
            json.dumps({"answers": {str(qids[0]): "for", str(qids[1]): "for"}}),
            content_type="application/json",
        )
        assert cast.status_code == 201, cast.content
    again = owner.post(
        f"/api/v1/home/meetings/{mid}/ballots",
        json.dumps({"answers": {str(qids[0]): "for", str(qids[1]): "for"}}),
        content_type="application/json",
    )
    assert again.status_code == 409 and again.json()["code"] == "meeting_already_voted"
    register = signed_in(administrator).get(f"/api/v1/home/meetings/{mid}/register").json()
    assert all(row["voted"] for row in register)
    assert owner.get(f"/api/v1/home/meetings/{mid}/register").json()["code"] == "not_building_administrator"

    services.meeting_finish(meeting=Meeting.objects.get(pk=mid), now=starts + dt.timedelta(days=7))
    results = owner.get(f"/api/v1/home/meetings/{mid}/results").json()
    assert results["quorum"] and [q["adopted"] for q in results["questions"]] == [True, True]
    assert results["questions"][0]["for_percent"] == "100.00"
    protocol = owner.get(f"/api/v1/home/meetings/{mid}/protocol")
    assert protocol.status_code == 200 and b"".join(protocol.streaming_content)[:4] == b"%PDF"
    decisions = owner.get(f"/api/v1/home/buildings/{building.pk}/decisions").json()
    assert [d["subject"] for d in decisions] == ["Join the attic", "Lease the roof"]


def test_the_site_calls_a_meeting_and_a_ballot_is_confirmed_after_its_review(building, house, frozen_clock):
    owner = signed_in(house["A"])
    page = owner.get("/housing/meetings/new/")
    assert page.status_code == 200 and "Housing Code of the RF, art. 36 part 3" in page.content.decode()
    starts = NOW + dt.timedelta(days=10)
    response = owner.post(
        "/housing/meetings/new/",
        {
            "building": building.pk,
            "title": "Attic",
            "form": "electronic",
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (starts + dt.timedelta(days=8)).strftime("%Y-%m-%dT%H:%M"),
            "subject_1": "Join the attic to flat 4",
            "threshold_1": "unanimous",
            "materials": [pdf()],
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    meeting = Meeting.objects.get(title="Attic")
    assert meeting.materials.count() == 1
    frozen_clock.move_to(starts + dt.timedelta(hours=1))
    question = meeting.questions.get()
    review = owner.post(
        f"/housing/meetings/{meeting.pk}/", {"step": "review", f"question_{question.pk}": "for"}
    )
    assert review.status_code == 200 and b"ballot-review" in review.content and b"60.00" in review.content
    assert not MeetingBallot.objects.exists()
    done = owner.post(
        f"/housing/meetings/{meeting.pk}/", {"step": "confirm", f"question_{question.pk}": "for"}
    )
    assert done.status_code == 302 and MeetingBallot.objects.count() == 1


def test_a_refused_site_call_keeps_the_form_and_writes_nothing(building, house):
    owner = signed_in(house["A"])
    starts = NOW + dt.timedelta(days=5)
    response = owner.post(
        "/housing/meetings/new/",
        {
            "building": building.pk,
            "title": "Too soon",
            "form": "electronic",
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (starts + dt.timedelta(days=8)).strftime("%Y-%m-%dT%H:%M"),
            "subject_1": "Paint",
            "threshold_1": "participants",
        },
    )
    assert response.status_code == 422 and "10 days" in response.content.decode()
    assert not Meeting.objects.exists()
    assert signed_in(ResidentFactory()).get("/housing/meetings/new/").status_code == 404


def test_after_voting_the_page_shows_the_agenda_and_only_ones_own_recorded_answers(
    building, house, frozen_clock
):
    meeting = call(building, house["A"])
    frozen_clock.move_to(meeting.starts_at + dt.timedelta(hours=1))
    services.ballot_cast(meeting=meeting, resident=house["A"], answers=answers(meeting, "for", "against"))
    services.ballot_cast(meeting=meeting, resident=house["B"], answers=answers(meeting, "abstain", "abstain"))
    client = Client()
    client.force_login(house["A"])
    page = client.get(f"/housing/meetings/{meeting.pk}/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert 'data-testid="voted"' in page and "Повестка дня" in page
    subjects = list(meeting.questions.order_by("position").values_list("subject", flat=True))
    assert all(subject in page for subject in subjects)
    assert page.count('data-testid="recorded-ballot"') == 1
    assert "<strong>за</strong>" in page and "<strong>против</strong>" in page
    assert "воздержался" not in page  # B's answers are B's
    neighbour = Client()
    neighbour.force_login(house["C"])  # has not voted: sees the form, nobody's answers
    other = neighbour.get(f"/housing/meetings/{meeting.pk}/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert 'data-testid="recorded-ballot"' not in other
