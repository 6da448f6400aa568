from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from fractions import Fraction

import pytest
from django.utils import formats, timezone, translation

from gorod.accounts.tests.factories import ResidentFactory
from gorod.core.time import to_city
from gorod.housing import errors
from gorod.housing.meetings import rules as rules_meetings
from gorod.housing.meetings import services, services_call
from gorod.housing.models import Meeting, MeetingBallot, RegisterEntry
from gorod.housing.tests.factories import LinkFactory, OwnershipFactory, PremiseFactory
from gorod.notifications.models import Notification
from gorod.points import selectors as points

pytestmark = pytest.mark.django_db
NOW = timezone.now()
DOC = {"document_number": "77/1", "document_date": dt.date(2010, 1, 1)}


AGENDA = [
    ("Elect the chair", "participants"),
    ("Repair the roof", "all_majority"),
    ("Use common property", "two_thirds"),
    ("Change the management organisation", "participants"),
]


def open_meeting(building, initiator, **kw):
    starts = kw.pop("starts", NOW - dt.timedelta(days=1))
    return services_call.meeting_create(
        building=building,
        title="Annual meeting",
        questions=AGENDA,
        notice_at=starts - dt.timedelta(days=10),
        starts_at=starts,
        ends_at=starts + dt.timedelta(days=kw.pop("days", 14)),
        actor=initiator,
    )


def vote(meeting, person, *choices):
    questions = list(meeting.questions.order_by("position"))
    return services.ballot_cast(
        meeting=meeting, resident=person, answers={q.pk: c for q, c in zip(questions, choices)}
    )


def test_result_computed_by_hand(building, house, administrator):
    meeting = open_meeting(building, house["A"])
    vote(meeting, house["A"], "for", "for", "for", "for")
    vote(meeting, house["B"], "for", "against", "for", "against")
    vote(meeting, house["D"], "for", "for", "for", "abstain")
    with pytest.raises(errors.AlreadyVotedInMeeting):
        vote(meeting, house["E"], "against", "against", "against", "against")  # joint: the group voted
    finished = services.meeting_finish(meeting=meeting, now=meeting.ends_at)
    # By hand: all votes 60 + 40.01 + 50 + 50 = 200.01. Taking part: A 60, B 40.01 × 1/2 = 20.005,
    # D+E jointly 50 → 130.005 > 100.005: quorum.
    # Q1 participants: for 130.005 > 65.0025 → adopted.
    # Q2 all votes: for 60 + 50 = 110 > 100.005 → adopted.
    # Q3 two thirds of all: for 130.005 (everyone taking part) < 133.34 → NOT adopted, although
    #    unanimous among participants.
    # Q4 participants: for 60 ≤ 65.0025 → not adopted.
    result = finished.result
    assert result["total"] == "20001/100" and result["participating"] == "26001/200" and result["quorum"]
    assert [q["adopted"] for q in result["questions"]] == [True, True, False, False]
    assert [q["for"] for q in result["questions"]] == ["26001/200", "110/1", "26001/200", "60/1"]
    assert result["questions"][1]["against"] == "4001/200"
    assert result["questions"][3]["abstain"] == "50/1"
    assert finished.protocol.read(4) == b"%PDF"
    assert Notification.objects.filter(event_key=f"meeting:{meeting.pk}:result").count() == 6


def test_unanimous_vote_without_quorum_decides_nothing(building, house):
    meeting = open_meeting(building, house["A"])
    vote(meeting, house["A"], "for", "for", "for", "for")
    result = services.meeting_finish(meeting=meeting, now=meeting.ends_at).result
    assert not result["quorum"] and not any(q["adopted"] for q in result["questions"])


def test_schedule_limits(building, house):
    starts = NOW + dt.timedelta(days=20)
    for notice, days, error in [
        (starts - dt.timedelta(days=9, hours=23), 14, rules_meetings.NoticeTooShort),
        (starts - dt.timedelta(days=10), 6, rules_meetings.VotingPeriodInvalid),
        (starts - dt.timedelta(days=10), 61, rules_meetings.VotingPeriodInvalid),
    ]:
        with pytest.raises(error):
            services_call.meeting_create(
                building=building,
                title="x",
                questions=AGENDA,
                notice_at=notice,
                starts_at=starts,
                ends_at=starts + dt.timedelta(days=days),
                actor=house["A"],
            )
    assert not Meeting.objects.exists()
    assert points.balance(house["A"]).balance == 0


def test_only_owners_or_administrator_call_meetings_and_owners_are_notified(building, house, administrator):
    with pytest.raises(errors.NotAnOwnerToInitiate):
        open_meeting(building, ResidentFactory())
    meeting = open_meeting(building, administrator)
    assert meeting.by_management
    assert Notification.objects.filter(event_key=f"meeting:{meeting.pk}:notice").count() == 6
    owner_meeting = open_meeting(building, house["C"])
    assert not owner_meeting.by_management and points.balance(house["C"]).balance == 50


def test_refusals_write_nothing(building, house):
    meeting = open_meeting(building, house["A"])
    with pytest.raises(errors.NotAnOwner):
        vote(meeting, ResidentFactory(), "for", "for", "for", "for")
    with pytest.raises(errors.BallotIncomplete):
        vote(meeting, house["A"], "for", "for", "maybe", "for")
    with pytest.raises(errors.BallotIncomplete):
        vote(meeting, house["A"], "for")
    vote(meeting, house["A"], "for", "for", "for", "for")
    with pytest.raises(errors.AlreadyVotedInMeeting):
        vote(meeting, house["A"], "against", "against", "against", "against")
    assert MeetingBallot.objects.count() == 4
    assert points.balance(house["A"]).balance == 50 + 20
    with pytest.raises(errors.MeetingNotOpen):
        services.ballot_cast(
            meeting=meeting,
            resident=house["B"],
            answers={q.pk: "for" for q in meeting.questions.all()},
            now=meeting.ends_at,
        )
    assert MeetingBallot.objects.count() == 4


def test_voting_before_start_is_refused(building, house):
    meeting = open_meeting(building, house["A"], starts=NOW + dt.timedelta(days=11))
    with pytest.raises(errors.MeetingNotOpen):
        vote(meeting, house["A"], "for", "for", "for", "for")
    assert not RegisterEntry.objects.exists()


def test_register_is_frozen_at_start(building, house, administrator):
    meeting = open_meeting(building, house["A"])
    vote(meeting, house["A"], "for", "for", "for", "for")  # freezes the register
    newcomer = ResidentFactory()
    OwnershipFactory(
        premise=PremiseFactory(building=building, number="5", area=Decimal("99")), owner=newcomer
    )
    with pytest.raises(errors.NotAnOwner):
        vote(meeting, newcomer, "for", "for", "for", "for")
    meeting.refresh_from_db()
    assert meeting.total_votes == Fraction(20001, 100)
    assert RegisterEntry.objects.filter(meeting=meeting).count() == 5  # A, B, C, D+E, F


def test_paper_ballot_and_proxy(building, house, administrator):
    meeting = open_meeting(building, house["A"])
    services.meeting_start(meeting=meeting)
    answers = {q.pk: "for" for q in meeting.questions.all()}
    f_entry = RegisterEntry.objects.get(meeting=meeting, owner_name="F")
    services.paper_ballot_enter(meeting=meeting, entry=f_entry, answers=answers, actor=administrator)
    with pytest.raises(errors.AlreadyVotedInMeeting):
        services.paper_ballot_enter(meeting=meeting, entry=f_entry, answers=answers, actor=administrator)
    with pytest.raises(errors.NotYourBuilding):
        services.paper_ballot_enter(meeting=meeting, entry=f_entry, answers=answers, actor=house["A"])
    proxy = ResidentFactory()
    c_entry = RegisterEntry.objects.get(meeting=meeting, owner_name="C")
    services.proxy_record(
        meeting=meeting, entry=c_entry, proxy=proxy, power_of_attorney="77 AB 123", actor=administrator
    )
    assert services.ballot_cast(meeting=meeting, resident=proxy, answers=answers) == 1
    with pytest.raises(errors.AlreadyVotedInMeeting):
        services.ballot_cast(meeting=meeting, resident=house["C"], answers=answers)
    assert MeetingBallot.objects.filter(paper=True).count() == 4


def test_meetings_advance_job_finishes_and_is_idempotent(building, house):
    meeting = open_meeting(building, house["A"])
    later = meeting.ends_at + dt.timedelta(minutes=1)
    assert services.meetings_advance(now=later) >= 1
    services.meetings_advance(now=later)
    meeting.refresh_from_db()
    assert meeting.status == "finished" and meeting.protocol


def test_finished_meeting_page_names_each_threshold_in_words(client, building, house):
    """The results table said `all_majority` and `two_thirds`: the stored result's raw threshold
    replaced its label."""
    meeting = open_meeting(building, house["A"])
    vote(meeting, house["A"], "for", "for", "for", "for")
    services.meeting_finish(meeting=meeting, now=meeting.ends_at)
    client.force_login(house["A"])
    client.cookies["django_language"] = "ru"
    page = client.get(f"/housing/meetings/{meeting.pk}/").content.decode()
    results = page[page.index("<tbody>") : page.index("</tbody>")]
    assert "all_majority" not in results and "two_thirds" not in results
    assert "более половины от общего числа голосов" in results


@pytest.mark.parametrize("language", ["en", "ru"])
def test_meeting_page_starts_the_form_of_the_meeting_as_a_sentence(client, building, house, language):
    """«ул. Арбат, 10. заочная, электронное голосование…»: the form followed a full stop in lower case."""
    meeting = open_meeting(building, house["A"])
    client.force_login(house["A"])
    client.cookies["django_language"] = language
    page = client.get(f"/housing/meetings/{meeting.pk}/").content.decode()
    with translation.override(language):
        form = str(meeting.get_form_display())
    assert f"{building.address}. {form[0].upper()}{form[1:]}." in page


@pytest.mark.parametrize(("language", "start"), [("en", "Form: "), ("ru", "Форма: ")])
def test_meeting_notice_on_the_board_starts_as_a_sentence(client, building, house, language, start):
    """The notice began with the form's label in lower case («заочная, электронное…»)."""
    meeting = open_meeting(building, house["A"])
    LinkFactory(resident=house["A"], premise=house["A"].ownerships.first().premise, role="owner")
    client.force_login(house["A"])
    client.cookies["django_language"] = language
    page = client.get(f"/housing/buildings/{building.pk}/board/").content.decode()
    with translation.override(language):
        form = str(meeting.get_form_display())
    assert f"{start}{form}." in page


@pytest.mark.parametrize(("language", "dotted"), [("en", False), ("ru", True)])
def test_meeting_dates_follow_the_page_language(client, building, house, language, dotted):
    """English pages showed «10.11.2026 02:08», the Russian way of writing a date."""
    meeting = open_meeting(building, house["A"])
    client.force_login(house["A"])
    client.cookies["django_language"] = language
    page = client.get(f"/housing/meetings/{meeting.pk}/").content.decode()
    with translation.override(language):
        start = formats.date_format(to_city(meeting.starts_at), "SHORT_DATETIME_FORMAT")
    assert start in page
    assert bool(re.search(r"\b\d\d\.\d\d\.\d{4}\b", page)) is dotted
