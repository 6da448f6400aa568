from __future__ import annotations

import pytest

from gorod.problems import selectors, services, services_answers
from gorod.problems.models import Report
from gorod.problems.tests.conftest import INSIDE, TEXT

pytestmark = pytest.mark.django_db


def accepted_at(author, topic, moderator, lat: str, lon: str) -> Report:
    report = services.report_file(
        author=author, topic_code=topic.code, latitude=lat, longitude=lon, text=TEXT
    )
    return services.report_accept(report_id=report.pk, moderator=moderator)


def test_duplicates_are_open_reports_of_the_topic_within_250_m(
    author, topic, photo_topic, organisation, moderator
):
    near = accepted_at(author, topic, moderator, INSIDE[0], INSIDE[1])
    # About 200 m north (0.0018° of latitude) is in; about 330 m north is out.
    in_range = accepted_at(author, topic, moderator, "40.501800", INSIDE[1])
    accepted_at(author, topic, moderator, "40.503000", INSIDE[1])
    services.report_file(
        author=author, topic_code=topic.code, latitude=INSIDE[0], longitude=INSIDE[1], text=TEXT
    )
    found = selectors.duplicates_near(topic_code=topic.code, latitude=40.5, longitude=20.5)
    assert [r.pk for r in found] == [near.pk, in_range.pk]  # the unmoderated one is not public
    assert selectors.duplicates_near(topic_code=photo_topic.code, latitude=40.5, longitude=20.5) == []


def test_map_points_carry_no_personal_data(
    author, topic, organisation, moderator, django_assert_max_num_queries
):
    for _ in range(3):
        accepted_at(author, topic, moderator, INSIDE[0], INSIDE[1])
    with django_assert_max_num_queries(2):
        points = selectors.map_points(selectors.MapFilters(topic=topic.code))
    assert len(points) == 3
    assert set(points[0]) == {"id", "lat", "lon", "status", "overdue", "topic", "topic_name"}
    assert selectors.map_points(selectors.MapFilters(status="closed")) == []
    assert selectors.map_points(selectors.MapFilters(topic="no-such-topic")) == []
    assert len(selectors.map_points(selectors.MapFilters(district="test-district"))) == 3
    assert len(selectors.map_points(selectors.MapFilters(bbox=(20.4, 40.4, 20.6, 40.6)))) == 3
    assert selectors.map_points(selectors.MapFilters(bbox=(30.0, 50.0, 30.1, 50.1))) == []


def test_organisation_statistics(
    author, topic, organisation, moderator, responder, django_assert_max_num_queries
):
    first = accepted_at(author, topic, moderator, INSIDE[0], INSIDE[1])
    second = accepted_at(author, topic, moderator, INSIDE[0], INSIDE[1])
    Report.objects.filter(pk=second.pk).update(overdue=True)
    answer = services_answers.answer_submit(
        report_id=first.pk, responder=responder, text="Repaired the bench."
    )
    services_answers.answer_approve(answer_id=answer.pk, moderator=moderator)
    services_answers.rating_give(report_id=first.pk, resident=author, score=1, verdict="refute")
    with django_assert_max_num_queries(3):
        stats = {s.organisation.code: s for s in selectors.organisation_stats()}
    row = stats[organisation.code]
    assert (row.received, row.answered_in_time, row.overdue) == (2, 1, 1)
    assert str(row.refuted_share) == "1.00"
