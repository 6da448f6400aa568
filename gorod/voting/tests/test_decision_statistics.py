"""Guaranteed implementation: late decisions are flagged on the map, in the API and in the
console, and a public page counts votes held and decisions done on time or late."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from gorod.core.time import city_today
from gorod.voting import services
from gorod.voting.decisions.rules import is_late
from gorod.voting.decisions.services import decision_record
from gorod.voting.models import Decision

pytestmark = pytest.mark.django_db
POINT = {"type": "Point", "coordinates": [37.6, 55.75]}


def test_is_late_rule():
    today = dt.date(2027, 5, 10)
    promised = dt.date(2027, 5, 1)
    assert is_late("planned", promised, None, today)
    assert is_late("in_progress", promised, None, today)
    assert not is_late("in_progress", today, None, today)  # due today is not late yet
    assert is_late("done", promised, dt.date(2027, 5, 2), today)
    assert not is_late("done", promised, promised, today)
    assert not is_late("cancelled", promised, None, today)
    assert not is_late("planned", None, None, today)


@pytest.fixture
def promises(open_poll, operator):
    services.poll_close(poll_id=open_poll.pk, actor=operator, reason="test")
    today = city_today()
    week = dt.timedelta(days=7)
    made = {}
    for name, status, planned, done in [
        ("on time", "done", today, today - week),
        ("done late", "done", today - week - week, today - week),
        ("overdue", "in_progress", today - week, None),
        ("coming", "planned", today + week, None),
        ("dropped", "cancelled", today - week, None),
    ]:
        decision = decision_record(
            title=name, organisation="Roads", actor=operator, poll=open_poll, location=POINT
        )
        Decision.objects.filter(pk=decision.pk).update(status=status, planned_on=planned, done_on=done)
        made[name] = decision
    return made


def test_the_statistics_page_counts_on_time_and_late(promises):
    for lang, heading in (
        ("en", "Guaranteed implementation in figures"),
        ("ru", "Гарантированная реализация в цифрах"),
    ):
        page = Client().get("/voting/decisions/statistics/", HTTP_ACCEPT_LANGUAGE=lang)
        assert page.status_code == 200 and heading in page.content.decode()
    stats = page.context["stats"]
    assert (stats.votes_held, stats.decisions_taken, stats.implemented) == (1, 4, 2)
    assert (stats.implemented_on_time, stats.implemented_late, stats.in_work, stats.overdue) == (1, 1, 2, 1)


def test_late_decisions_are_flagged_on_the_map_in_the_api_and_in_the_console(promises, operator):
    page = Client().get("/voting/decisions/")
    late_titles = {d.title for d in page.context["decisions"] if d.late}
    assert late_titles == {"done late", "overdue"}
    assert page.content.count(b'data-testid="late"') == 2
    features = Client().get("/api/v1/decisions").json()["features"]
    assert {f["properties"]["title"] for f in features if f["properties"]["late"]} == {"done late", "overdue"}
    console = Client()
    console.force_login(operator)
    listing = console.get("/console/voting/decision/")
    assert listing.status_code == 200 and listing.content.count(b'alt="True"') == 2
