"""A report's published answers and its history through the API, as its page shows them."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from gorod.problems import services, services_answers
from gorod.problems.tests.conftest import INSIDE, TEXT

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 5, 9, 0, tzinfo=dt.UTC)


def test_answers_and_history_of_a_report(author, topic, organisation, moderator, responder):
    with time_machine.travel(NOW, tick=False):
        report = services.report_file(
            author=author, topic_code=topic.code, latitude=INSIDE[0], longitude=INSIDE[1], text=TEXT
        )
        anonymous = Client()
        # In moderation: nobody but its author and moderators may read it.
        assert anonymous.get(f"/api/v1/problems/reports/{report.pk}/history").status_code == 404
        assert anonymous.get(f"/api/v1/problems/reports/{report.pk}/answers").status_code == 404
        services.report_accept(report_id=report.pk, moderator=moderator)
        answer = services_answers.answer_submit(
            report_id=report.pk, responder=responder, text="The bench was repaired this morning, thank you."
        )
        assert anonymous.get(f"/api/v1/problems/reports/{report.pk}/answers").json() == []
        services_answers.answer_approve(answer_id=answer.pk, moderator=moderator)

        answers = anonymous.get(f"/api/v1/problems/reports/{report.pk}/answers").json()
        assert [(a["id"], a["organisation"], a["in_time"]) for a in answers] == [
            (answer.pk, organisation.name, True)
        ]
        history = anonymous.get(f"/api/v1/problems/reports/{report.pk}/history").json()
        assert [(e["from_status"], e["to_status"]) for e in history] == [
            ("submitted", "moderation"),
            ("moderation", "in_work"),
            ("in_work", "answer_moderation"),
            ("answer_moderation", "answered"),
        ]
        assert history[0]["at"].startswith("2026-03-05T09:00:00")
        body = str(history) + str(answers)
        assert (
            moderator.username not in body and author.username not in body and responder.username not in body
        )
        assert anonymous.get("/api/v1/problems/reports/999999/history").json()["code"] == "report_not_found"
