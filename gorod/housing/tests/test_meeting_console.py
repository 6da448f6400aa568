"""The administrator's meeting console (proxies with documents, paper ballots with scans) and
the points for holding, joining meetings and creating surveys, by account level."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from gorod.accounts import roles
from gorod.accounts.tests.factories import ResidentFactory
from gorod.housing import errors
from gorod.housing.meetings import services
from gorod.housing.models import MeetingBallot, RegisterEntry, RegisterHolder
from gorod.housing.surveys.services import survey_create
from gorod.housing.tests.factories import AdministratorFactory, BuildingFactory, LinkFactory, PremiseFactory
from gorod.housing.tests.test_meetings import open_meeting, vote
from gorod.points import selectors as points
from gorod.points.models import Transfer

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4 scan"


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def scan(name="scan.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def other_admin():
    admin = ResidentFactory(roles=[roles.BUILDING_ADMINISTRATOR], is_staff=True)
    AdministratorFactory(building=BuildingFactory(), resident=admin)
    return admin


def answers_of(meeting, choice="for"):
    return {q.pk: choice for q in meeting.questions.all()}


def test_meeting_points_by_level_simplified_may_not_vote(building, house):
    simple = ResidentFactory(level="simplified")
    house["A"].level = "full"
    house["A"].save(update_fields=["level"])
    meeting = open_meeting(building, house["A"])
    assert points.balance(house["A"]).balance == 100  # meeting_hold, full account
    vote(meeting, house["A"], "for", "for", "for", "for")
    assert points.balance(house["A"]).balance == 100 + 40  # meeting_join, full
    vote(meeting, house["B"], "for", "for", "for", "for")
    assert points.balance(house["B"]).balance == 20  # meeting_join, standard
    entry = RegisterEntry.objects.get(meeting=meeting, owner_name="C")
    RegisterHolder.objects.filter(entry=entry).update(resident=simple)
    with pytest.raises(errors.AccountLevelTooLowToVote):
        vote(meeting, simple, "for", "for", "for", "for")
    assert not MeetingBallot.objects.filter(entry=entry).exists()
    assert points.balance(simple).balance == 0
    assert not Transfer.objects.filter(credit__resident=simple).exists()


def test_survey_points_for_neighbours_only(building, premise, owner, administrator):
    survey_create(
        building=building, title="Paint?", questions=[("Colour?", ["Green", "Blue"])], days=3, actor=owner
    )
    assert points.balance(owner).balance == 10
    survey_create(
        building=building, title="Lift?", questions=[("When?", ["May", "June"])], days=3, actor=administrator
    )
    assert points.balance(administrator).balance == 0
    simple = ResidentFactory(level="simplified")
    LinkFactory(resident=simple, premise=PremiseFactory(building=building, number="77"), role="tenant")
    survey_create(
        building=building, title="Bikes?", questions=[("Rack?", ["Yes", "No"])], days=3, actor=simple
    )
    assert points.balance(simple).balance == 0


def test_paper_ballot_with_scan_earns_the_owner_meeting_join(building, house, administrator):
    meeting = open_meeting(building, administrator)
    services.meeting_start(meeting=meeting)
    entry = RegisterEntry.objects.get(meeting=meeting, owner_name="F")
    services.paper_ballot_enter(
        meeting=meeting, entry=entry, answers=answers_of(meeting), actor=administrator, scan=scan("f.jpg")
    )
    ballot = MeetingBallot.objects.filter(entry=entry).exclude(scan="").get()
    assert ballot.paper and ballot.scan.name.endswith(".jpg")
    assert points.balance(house["F"]).balance == 20 and points.balance(administrator).balance == 0
    with pytest.raises(errors.AlreadyVotedInMeeting):
        vote(meeting, house["F"], "for", "for", "for", "for")
    assert points.balance(house["F"]).balance == 20


def test_console_refusals_write_nothing(building, house, administrator, other_admin):
    meeting = open_meeting(building, administrator)
    services.meeting_start(meeting=meeting)
    entry = RegisterEntry.objects.get(meeting=meeting, owner_name="F")
    proxy = ResidentFactory()
    for actor in (other_admin, house["A"]):
        with pytest.raises(errors.NotYourBuilding):
            services.paper_ballot_enter(
                meeting=meeting, entry=entry, answers=answers_of(meeting), actor=actor
            )
        with pytest.raises(errors.NotYourBuilding):
            services.proxy_record(
                meeting=meeting, entry=entry, proxy=proxy, power_of_attorney="1", actor=actor
            )
    with pytest.raises(errors.ScanNotAccepted):
        services.paper_ballot_enter(
            meeting=meeting, entry=entry, answers=answers_of(meeting), actor=administrator, scan=scan("x.exe")
        )
    with pytest.raises(errors.MeetingNotOpen):
        services.paper_ballot_enter(
            meeting=meeting,
            entry=entry,
            answers=answers_of(meeting),
            actor=administrator,
            now=meeting.ends_at,
        )
    with pytest.raises(errors.MeetingNotOpen):
        services.proxy_record(
            meeting=meeting,
            entry=entry,
            proxy=proxy,
            power_of_attorney="1",
            actor=administrator,
            now=meeting.ends_at,
        )
    assert not MeetingBallot.objects.exists() and not RegisterHolder.objects.filter(is_proxy=True).exists()
    assert not Transfer.objects.filter(reason="meeting_join").exists()
    holder = services.proxy_record(
        meeting=meeting,
        entry=entry,
        proxy=proxy,
        power_of_attorney="77 AB 1",
        actor=administrator,
        document=scan(),
    )
    assert holder.is_proxy and holder.document.name.endswith(".pdf")
    with pytest.raises(errors.ProxyAlreadyHolds):
        services.proxy_record(
            meeting=meeting, entry=entry, proxy=proxy, power_of_attorney="2", actor=administrator
        )
    assert RegisterHolder.objects.filter(is_proxy=True).count() == 1


def test_console_pages(building, house, administrator, other_admin, django_assert_max_num_queries):
    meeting = open_meeting(building, administrator)
    admin = signed_in(administrator)
    admin.get("/housing/admin/")
    with django_assert_max_num_queries(17):  # 16 + the header's unread notifications count
        page = admin.get(f"/housing/admin/meetings/{meeting.pk}/")
    assert page.status_code == 200 and "Paper ballot" in page.content.decode()
    f_entry = RegisterEntry.objects.get(meeting=meeting, owner_name="F")
    c_entry = RegisterEntry.objects.get(meeting=meeting, owner_name="C")
    paper_url = f"/housing/admin/meetings/{meeting.pk}/entries/{f_entry.pk}/paper/"
    form = admin.get(paper_url)
    assert form.status_code == 200
    missing_scan = admin.post(paper_url, {f"question_{q.pk}": "for" for q in meeting.questions.all()})
    assert missing_scan.status_code == 422 and not MeetingBallot.objects.exists()
    done = admin.post(
        paper_url, {**{f"question_{q.pk}": "against" for q in meeting.questions.all()}, "scan": scan()}
    )
    assert (
        done.status_code == 302 and MeetingBallot.objects.filter(entry=f_entry, choice="against").count() == 4
    )
    proxy = ResidentFactory(username="proxyperson")
    proxy_url = f"/housing/admin/meetings/{meeting.pk}/entries/{c_entry.pk}/proxy/"
    unknown = admin.post(proxy_url, {"proxy": "nobody", "power_of_attorney": "77 AB", "document": scan()})
    assert unknown.status_code == 422 and not RegisterHolder.objects.filter(is_proxy=True).exists()
    recorded = admin.post(
        proxy_url, {"proxy": "proxyperson", "power_of_attorney": "77 AB 5", "document": scan()}
    )
    assert recorded.status_code == 302
    assert RegisterHolder.objects.get(entry=c_entry, resident=proxy).power_of_attorney == "77 AB 5"
    assert vote(meeting, proxy, "for", "for", "for", "for") == 1

    stranger = signed_in(other_admin)
    assert stranger.get(f"/housing/admin/meetings/{meeting.pk}/").status_code == 404
    b_entry = RegisterEntry.objects.get(meeting=meeting, owner_name="B")
    refused = stranger.post(
        f"/housing/admin/meetings/{meeting.pk}/entries/{b_entry.pk}/paper/",
        {**{f"question_{q.pk}": "for" for q in meeting.questions.all()}, "scan": scan()},
    )
    assert refused.status_code == 404 and not MeetingBallot.objects.filter(entry=b_entry).exists()
    assert signed_in(house["A"]).get(f"/housing/admin/meetings/{meeting.pk}/").status_code == 404

    finished = open_meeting(building, administrator, starts=timezone.now() - dt.timedelta(days=20), days=10)
    services.meeting_start(meeting=finished, now=finished.starts_at)
    entry = RegisterEntry.objects.filter(meeting=finished).first()
    late = admin.post(
        f"/housing/admin/meetings/{finished.pk}/entries/{entry.pk}/paper/",
        {**{f"question_{q.pk}": "for" for q in finished.questions.all()}, "scan": scan()},
    )
    assert late.status_code == 422 and not MeetingBallot.objects.filter(entry__meeting=finished).exists()


def test_the_administrators_pages_lead_to_calling_a_meeting_and_to_its_results(
    building, house, administrator
):
    # the administration page named the meetings but not how to call one (that link was only on
    # "My home", for owners), and the register of a finished meeting led nowhere: its results and
    # protocol were on the resident's page, reachable only by typing its address
    client = signed_in(administrator)
    dashboard = client.get("/housing/admin/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert f'href="/housing/meetings/new/?building={building.pk}"' in dashboard
    assert "Созвать общее собрание собственников" in dashboard
    assert f'href="/housing/buildings/{building.pk}/decisions/"' in dashboard
    assert client.get(f"/housing/meetings/new/?building={building.pk}").status_code == 200

    meeting = open_meeting(building, house["A"])
    vote(meeting, house["A"], "for", "for", "for", "for")
    services.meeting_finish(meeting=meeting, now=meeting.ends_at)
    console = client.get(f"/housing/admin/meetings/{meeting.pk}/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert f'href="/housing/meetings/{meeting.pk}/"' in console
    assert f'href="/housing/meetings/{meeting.pk}/protocol.pdf"' in console
    assert client.get(f"/housing/meetings/{meeting.pk}/protocol.pdf").status_code == 200
