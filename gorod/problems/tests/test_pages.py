from __future__ import annotations

import pytest
from django.test import Client

from gorod.accounts.tests.factories import ResidentFactory
from gorod.problems import services, services_answers
from gorod.problems.models import Photo, Report
from gorod.problems.tests.conftest import INSIDE, OUTSIDE, TEXT, upload

pytestmark = pytest.mark.django_db


def signed_in(resident) -> Client:
    client = Client()
    client.force_login(resident)
    return client


def accepted(author, topic, moderator, photo=False) -> Report:
    report = services.report_file(
        author=author,
        topic_code=topic.code,
        latitude=INSIDE[0],
        longitude=INSIDE[1],
        text=TEXT,
        photo_uploads=[upload()] if photo else [],
    )
    return services.report_accept(report_id=report.pk, moderator=moderator)


def test_filing_page_files_a_report(author, photo_topic):
    client = signed_in(author)
    assert client.get("/problems/new/").status_code == 200
    response = client.post(
        "/problems/new/",
        {
            "topic": photo_topic.code,
            "latitude": INSIDE[0],
            "longitude": INSIDE[1],
            "text": TEXT,
            "photos": [upload()],
        },
    )
    assert response.status_code == 302
    report = Report.objects.get()
    assert response["Location"] == f"/problems/{report.pk}/"


def test_filing_page_shows_refusal_next_to_the_field_and_stores_nothing(author, photo_topic, media_files):
    response = signed_in(author).post(
        "/problems/new/",
        {
            "topic": photo_topic.code,
            "latitude": OUTSIDE[0],
            "longitude": OUTSIDE[1],
            "text": TEXT,
            "photos": [upload()],
        },
    )
    assert response.status_code == 200
    assert "The place is outside the city." in response.content.decode()
    assert Report.objects.count() == 0 and media_files() == []


def test_duplicates_are_shown_before_filing(author, topic, organisation, moderator):
    existing = accepted(author, topic, moderator)
    other = ResidentFactory(level="standard")
    data = {"topic": topic.code, "latitude": INSIDE[0], "longitude": INSIDE[1], "text": TEXT}
    response = signed_in(other).post("/problems/new/", data)
    assert response.status_code == 200 and f"#{existing.pk}" in response.content.decode()
    assert Report.objects.count() == 1
    assert signed_in(other).post("/problems/new/", {**data, "join_instead": "on"}).status_code == 302
    assert Report.objects.count() == 2


def test_public_pages_and_query_counts(author, topic, organisation, moderator, django_assert_max_num_queries):
    for _ in range(5):
        accepted(author, topic, moderator)
    client = Client()
    with django_assert_max_num_queries(8):
        page = client.get("/problems/")
    assert page.status_code == 200 and author.username not in page.content.decode()
    with django_assert_max_num_queries(8):
        assert client.get("/problems/statistics/").status_code == 200
    mine = signed_in(author)
    with django_assert_max_num_queries(6):
        assert mine.get("/problems/mine/").status_code == 200


def test_photos_follow_report_visibility(author, photo_topic, organisation, moderator):
    report = services.report_file(
        author=author,
        topic_code=photo_topic.code,
        latitude=INSIDE[0],
        longitude=INSIDE[1],
        text=TEXT,
        photo_uploads=[upload()],
    )
    photo = Photo.objects.get(report=report)
    assert Client().get(f"/problems/photos/{photo.pk}/").status_code == 404
    assert signed_in(author).get(f"/problems/photos/{photo.pk}/").status_code == 200
    services.report_accept(report_id=report.pk, moderator=moderator)
    response = Client().get(f"/problems/photos/{photo.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"


@pytest.mark.parametrize(
    ("who", "queue", "moderation"),
    [("resident", 403, 403), ("responder", 200, 403), ("moderator", 403, 200), ("other_responder", 200, 403)],
)
def test_permission_matrix_of_staff_pages(
    who, queue, moderation, author, topic, organisation, other_organisation, moderator, responder
):
    from gorod.problems.tests.factories import responder_of

    report = accepted(author, topic, moderator)
    stranger = ResidentFactory(roles=["organisation_responder"])
    responder_of(other_organisation, stranger)
    person = {
        "resident": author,
        "responder": responder,
        "moderator": moderator,
        "other_responder": stranger,
    }[who]
    client = signed_in(person)
    assert client.get("/problems/queue/").status_code == queue
    assert client.get("/problems/moderation/").status_code == moderation
    answer_page = client.get(f"/problems/queue/{report.pk}/")
    assert answer_page.status_code == (200 if who == "responder" else 403)
    # Posting a moderation decision without the role changes nothing.
    client.post(f"/problems/moderation/reports/{report.pk}/", {"decision": "reject", "reason": "x"})
    assert Report.objects.get(pk=report.pk).status == "in_work"


def test_staff_journey_on_pages(author, topic, organisation, moderator, responder):
    report = services.report_file(
        author=author, topic_code=topic.code, latitude=INSIDE[0], longitude=INSIDE[1], text=TEXT
    )
    mod = signed_in(moderator)
    mod.post(f"/problems/moderation/reports/{report.pk}/", {"decision": "accept"})
    assert Report.objects.get(pk=report.pk).status == "in_work"
    signed_in(responder).post(f"/problems/queue/{report.pk}/", {"text": "Repaired the bench today."})
    answer = report.answers.get()
    mod.post(f"/problems/moderation/answers/{answer.pk}/", {"decision": "approve"})
    assert Report.objects.get(pk=report.pk).status == "answered"
    signed_in(author).post(f"/problems/{report.pk}/rate/", {"score": "2", "verdict": "refute"})
    report.refresh_from_db()
    assert report.status == "in_work" and report.reopen_count == 1
    services_answers.answer_submit(report_id=report.pk, responder=responder, text="Repaired once more.")


def test_operator_reroutes_on_the_report_page(
    author, topic, organisation, other_organisation, moderator, operator
):
    report = accepted(author, topic, moderator)
    client = signed_in(operator)
    assert "Re-route" in client.get(f"/problems/{report.pk}/").content.decode()
    client.post(f"/problems/{report.pk}/reroute/", {"organisation": other_organisation.pk, "reason": ""})
    assert Report.objects.get(pk=report.pk).organisation == organisation  # no reason, refused
    client.post(
        f"/problems/{report.pk}/reroute/", {"organisation": other_organisation.pk, "reason": "Their road"}
    )
    assert Report.objects.get(pk=report.pk).organisation == other_organisation
    signed_in(moderator).post(
        f"/problems/{report.pk}/reroute/", {"organisation": organisation.pk, "reason": "x"}
    )
    assert Report.objects.get(pk=report.pk).organisation == other_organisation  # a moderator may not
