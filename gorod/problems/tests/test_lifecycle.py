from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from gorod.accounts.models import AuditEntry
from gorod.accounts.tests.factories import ResidentFactory
from gorod.core.time import city_today
from gorod.points import selectors as points_selectors
from gorod.points.models import Transfer
from gorod.problems import errors, rules, selectors, services, services_answers
from gorod.problems.models import Answer, Follower, Photo, Rating, Report, ReportStatus
from gorod.problems.tests.conftest import INSIDE, TEXT, upload
from gorod.problems.tests.factories import OrganisationFactory, responder_of

pytestmark = pytest.mark.django_db


def filed(author: Any, topic: Any) -> Report:
    return services.report_file(
        author=author, topic_code=topic.code, latitude=INSIDE[0], longitude=INSIDE[1], text=TEXT
    )


@pytest.fixture
def in_work(author, topic, organisation, moderator) -> Report:
    report = filed(author, topic)
    return services.report_accept(report_id=report.pk, moderator=moderator)


@pytest.fixture
def answered(in_work, responder, moderator) -> Report:
    answer = services_answers.answer_submit(
        report_id=in_work.pk, responder=responder, text="The bench was repaired today."
    )
    services_answers.answer_approve(answer_id=answer.pk, moderator=moderator)
    return Report.objects.get(pk=in_work.pk)


def test_every_unlisted_transition_is_illegal():
    statuses = [s.value for s in ReportStatus]
    actions = {action for (_state, action) in rules.TRANSITIONS}
    for status in statuses:
        for action in actions:
            if (status, action) in rules.TRANSITIONS:
                assert rules.next_status(status, action) in statuses
            else:
                with pytest.raises(errors.IllegalTransition) as refused:
                    rules.next_status(status, action)
                assert refused.value.code == "illegal_transition"


def test_accepting_routes_starts_the_deadline_and_awards_points(in_work, author, organisation):
    assert in_work.status == "in_work"
    assert in_work.organisation == organisation
    assert in_work.deadline == selectors.deadline_for(city_today(), 8)
    assert points_selectors.balance(author).balance == 50


def test_accepting_twice_is_an_illegal_transition(in_work, moderator, author):
    with pytest.raises(errors.IllegalTransition):
        services.report_accept(report_id=in_work.pk, moderator=moderator)
    assert Transfer.objects.filter(source_key=f"problems:report:{in_work.pk}").count() == 1


def test_only_moderators_accept(author, topic, organisation):
    report = filed(author, topic)
    with pytest.raises(errors.NotModerator):
        services.report_accept(report_id=report.pk, moderator=author)
    assert Report.objects.get(pk=report.pk).status == "moderation"


def test_no_organisation_refuses_acceptance(author, topic, moderator):
    report = filed(author, topic)
    with pytest.raises(errors.NoOrganisation):
        services.report_accept(report_id=report.pk, moderator=moderator)
    report.refresh_from_db()
    assert report.status == "moderation" and report.organisation is None
    assert points_selectors.balance(author).balance == 0


def test_a_building_organisation_wins_over_the_district_one(author, topic, organisation, moderator):
    from gorod.accounts.models import Address

    building = Address.objects.create(
        text="Test St, 1", district=organisation.districts.first(), latitude=INSIDE[0], longitude=INSIDE[1]
    )
    management = OrganisationFactory(code="uk-building")
    management.topics.add(topic)
    management.buildings.add(building)
    report = services.report_file(
        author=author,
        topic_code=topic.code,
        latitude=INSIDE[0],
        longitude=INSIDE[1],
        text=TEXT,
        building_id=building.pk,
    )
    report = services.report_accept(report_id=report.pk, moderator=moderator)
    assert report.organisation == management


def test_rejection_needs_a_reason(author, topic, moderator):
    report = filed(author, topic)
    with pytest.raises(errors.ReasonRequired):
        services.report_reject(report_id=report.pk, moderator=moderator, reason=" ")
    assert Report.objects.get(pk=report.pk).status == "moderation"
    services.report_reject(report_id=report.pk, moderator=moderator, reason="Not a city facility")
    report.refresh_from_db()
    assert report.status == "rejected" and report.reject_reason == "Not a city facility"
    with pytest.raises(errors.IllegalTransition):
        services.report_accept(report_id=report.pk, moderator=moderator)


def test_operator_reroutes_with_audit(in_work, operator, other_organisation, moderator):
    with pytest.raises(errors.NotOperator):
        services.report_reroute(
            report_id=in_work.pk, operator=moderator, organisation_id=other_organisation.pk, reason="x"
        )
    services.report_reroute(
        report_id=in_work.pk, operator=operator, organisation_id=other_organisation.pk, reason="Wrong area"
    )
    in_work.refresh_from_db()
    assert in_work.organisation == other_organisation
    assert AuditEntry.objects.filter(action="problems.report_reroute", object_id=str(in_work.pk)).exists()


def test_another_organisation_may_not_answer(in_work, other_organisation, media_files):
    stranger = ResidentFactory(roles=["organisation_responder"])
    responder_of(other_organisation, stranger)
    with pytest.raises(errors.NotResponsible):
        services_answers.answer_submit(
            report_id=in_work.pk, responder=stranger, text="Done, repaired.", photo_uploads=[upload()]
        )
    assert Answer.objects.count() == 0 and Photo.objects.count() == 0 and media_files() == []
    assert Report.objects.get(pk=in_work.pk).status == "in_work"


def test_answer_with_photo_then_returned_then_approved(in_work, responder, moderator, media_files):
    first = services_answers.answer_submit(
        report_id=in_work.pk, responder=responder, text="Repaired the bench.", photo_uploads=[upload()]
    )
    assert Report.objects.get(pk=in_work.pk).status == "answer_moderation"
    assert first.photos.count() == 1 and len(media_files()) == 1
    with pytest.raises(errors.IllegalTransition):
        services_answers.answer_submit(report_id=in_work.pk, responder=responder, text="Second answer now.")
    services_answers.answer_return(answer_id=first.pk, moderator=moderator, reason="Show the photo closer")
    assert Report.objects.get(pk=in_work.pk).status == "in_work"
    second = services_answers.answer_submit(
        report_id=in_work.pk, responder=responder, text="Repaired, see photo."
    )
    services_answers.answer_approve(answer_id=second.pk, moderator=moderator)
    report = Report.objects.get(pk=in_work.pk)
    assert report.status == "answered" and report.answered_at is not None


def test_author_confirms_and_earns_rating_points(answered, author):
    services_answers.rating_give(report_id=answered.pk, resident=author, score=5, verdict="confirm")
    answered.refresh_from_db()
    assert answered.status == "closed" and answered.closed_at is not None
    assert points_selectors.balance(author).balance == 60


def test_author_refutes_and_the_report_reopens_with_a_new_deadline(answered, author, responder, moderator):
    services_answers.rating_give(report_id=answered.pk, resident=author, score=1, verdict="refute")
    answered.refresh_from_db()
    assert answered.status == "in_work"
    assert answered.reopen_count == 1
    assert answered.deadline == selectors.deadline_for(city_today(), 8)
    answer = services_answers.answer_submit(
        report_id=answered.pk, responder=responder, text="Repaired again, really."
    )
    assert answer.round == 1


def test_refuting_past_the_limit_goes_to_an_operator(answered, author, settings, operator):
    settings.PROBLEMS_REOPEN_LIMIT = 0
    services_answers.rating_give(report_id=answered.pk, resident=author, score=1, verdict="refute")
    answered.refresh_from_db()
    assert answered.status == "escalated" and answered.reopen_count == 1
    services.report_operator_close(report_id=answered.pk, operator=operator, reason="Checked on site")
    assert Report.objects.get(pk=answered.pk).status == "closed"


def test_author_must_give_a_verdict(answered, author):
    with pytest.raises(errors.VerdictRequired):
        services_answers.rating_give(report_id=answered.pk, resident=author, score=3)
    assert Rating.objects.count() == 0


def test_rating_twice_is_refused(answered, author, district):
    neighbour = ResidentFactory(home_district=district)
    services_answers.rating_give(report_id=answered.pk, resident=neighbour, score=4)
    balance = points_selectors.balance(neighbour).balance
    with pytest.raises(errors.AlreadyRated):
        services_answers.rating_give(report_id=answered.pk, resident=neighbour, score=2)
    assert Rating.objects.filter(resident=neighbour).count() == 1
    assert points_selectors.balance(neighbour).balance == balance == 10
    # A neighbour's rating decides nothing.
    assert Report.objects.get(pk=answered.pk).status == "answered"


def test_a_stranger_may_not_rate_someone_elses_report(answered):
    stranger = ResidentFactory()  # lives in another district, does not follow
    with pytest.raises(errors.NotYourReport):
        services_answers.rating_give(report_id=answered.pk, resident=stranger, score=5)
    assert Rating.objects.count() == 0
    assert points_selectors.balance(stranger).balance == 0


def test_a_follower_may_rate(answered):
    follower = ResidentFactory()
    services.report_follow(report_id=answered.pk, resident=follower)
    services_answers.rating_give(report_id=answered.pk, resident=follower, score=3)
    assert Rating.objects.filter(resident=follower, is_author=False).count() == 1


def test_rating_after_the_window_is_refused(answered, author):
    Report.objects.filter(pk=answered.pk).update(answered_at=timezone.now() - dt.timedelta(days=16))
    with pytest.raises(errors.RatingWindowClosed):
        services_answers.rating_give(report_id=answered.pk, resident=author, score=5, verdict="confirm")
    assert Rating.objects.count() == 0
    assert Report.objects.get(pk=answered.pk).status == "answered"


def test_bad_score_is_refused(answered, author):
    with pytest.raises(errors.BadScore):
        services_answers.rating_give(report_id=answered.pk, resident=author, score=6, verdict="confirm")
    assert Rating.objects.count() == 0


def test_unrated_answers_close_after_the_window(answered):
    assert services.reports_close_unrated() == 0
    later = timezone.now() + dt.timedelta(days=16)
    assert services.reports_close_unrated(now=later) == 1
    assert services.reports_close_unrated(now=later) == 0
    assert Report.objects.get(pk=answered.pk).status == "closed"


def test_overdue_reports_are_marked_once(in_work):
    assert services.reports_mark_overdue() == 0
    assert services.reports_mark_overdue(today=in_work.deadline + dt.timedelta(days=1)) == 1
    assert services.reports_mark_overdue(today=in_work.deadline + dt.timedelta(days=2)) == 0
    assert Report.objects.get(pk=in_work.pk).overdue


def test_me_too_once_and_not_on_own_report(in_work, author):
    other = ResidentFactory()
    services.report_follow(report_id=in_work.pk, resident=other)
    with pytest.raises(errors.AlreadyFollowing):
        services.report_follow(report_id=in_work.pk, resident=other)
    with pytest.raises(errors.CannotFollow):
        services.report_follow(report_id=in_work.pk, resident=author)
    assert Follower.objects.count() == 1


def test_daily_cap_on_rating_points(author, topic, organisation, moderator, responder, district):
    neighbour = ResidentFactory(home_district=district)
    for _ in range(4):
        report = services.report_accept(report_id=filed(author, topic).pk, moderator=moderator)
        answer = services_answers.answer_submit(
            report_id=report.pk, responder=responder, text="Fixed it, thanks."
        )
        services_answers.answer_approve(answer_id=answer.pk, moderator=moderator)
        services_answers.rating_give(report_id=report.pk, resident=neighbour, score=4)
    assert Rating.objects.filter(resident=neighbour).count() == 4
    assert points_selectors.balance(neighbour).balance == 30  # 10 each, capped at 30 a day


def test_author_responders_and_followers_are_notified(answered, author, responder):
    from gorod.notifications.models import Notification

    titles = list(Notification.objects.filter(resident=author).values_list("title", flat=True))
    assert any("accepted" in t for t in titles) and any("has an answer" in t for t in titles)
    routed = Notification.objects.filter(resident=responder, event_key__startswith="problems:routed:")
    before = routed.count()
    services_answers.rating_give(report_id=answered.pk, resident=author, score=1, verdict="refute")
    assert routed.count() == before + 1


def test_an_answer_photo_keeps_its_gps_on_the_row_not_in_the_file(in_work, responder, media_files):
    from gorod.core.tests.test_images import assert_no_metadata, gps_jpeg

    answer = services_answers.answer_submit(
        report_id=in_work.pk,
        responder=responder,
        text="Repaired the bench, see the photo.",
        photo_uploads=[upload(content=gps_jpeg())],
    )
    photo = answer.photos.get()
    assert photo.taken_latitude is not None and 55.75 < float(photo.taken_latitude) < 55.77
    [stored] = media_files()
    assert "problems" in str(stored)
    assert_no_metadata(stored.read_bytes())


def test_console_accepts_each_selected_report_and_names_the_refused_one(author, topic, organisation, client):
    """The shared admin loop (gorod.core.admin_actions): one refusal is reported next to its row,
    the other rows still go through, each in its own transaction."""
    staff = ResidentFactory(roles=["moderator"], is_staff=True, is_superuser=True)
    waiting, done = filed(author, topic), filed(author, topic)
    services.report_accept(report_id=done.pk, moderator=staff)
    client.force_login(staff)
    response = client.post(
        "/console/problems/report/",
        {"action": "accept_reports", "_selected_action": [waiting.pk, done.pk]},
        follow=True,
    )
    shown = [str(message) for message in response.context["messages"]]
    assert shown[-1] == "Accepted: 1" and len(shown) == 2 and shown[0].startswith(str(done))
    assert Report.objects.get(pk=waiting.pk).status == ReportStatus.IN_WORK
    assert done.events.count() == 2  # submitted, accepted once: the refused accept wrote nothing
