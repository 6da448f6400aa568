"""A poll's points are chosen in the console among the published earning rules: an operator no
longer types a programme's and an action's codes (a typo was a poll that paid nothing)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone, translation

from gorod.voting.models import Poll

pytestmark = pytest.mark.django_db


@pytest.fixture
def console(operator) -> Client:
    client = Client()
    client.force_login(operator)
    return client


def _add_form(reward: str) -> dict[str, str]:
    now = timezone.localtime()
    return {
        "kind": "city_vote",
        "title": "Bicycle parking",
        "description": "",
        "opens_at_0": (now + dt.timedelta(days=1)).strftime("%Y-%m-%d"),
        "opens_at_1": "00:00:00",
        "closes_at_0": (now + dt.timedelta(days=5)).strftime("%Y-%m-%d"),
        "closes_at_1": "00:00:00",
        "binding": "on",
        "reward": reward,
        "min_level": "simplified",
        "questions-TOTAL_FORMS": "0",
        "questions-INITIAL_FORMS": "0",
        "target_buildings-TOTAL_FORMS": "0",
        "target_buildings-INITIAL_FORMS": "0",
    }


def test_the_add_form_offers_the_earning_rules_by_name_not_codes(console):
    with translation.override("ru"):
        page = console.get("/console/voting/poll/add/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert 'name="reward"' in page
    assert 'value="active_citizen:vote" selected' in page  # a new poll pays for a vote, as before
    assert 'name="reward_programme"' not in page and 'name="reward_action"' not in page
    assert "Без баллов" in page


def test_a_chosen_rule_and_no_points_are_saved(console):
    response = console.post("/console/voting/poll/add/", _add_form("active_citizen:vote"))
    assert response.status_code == 302, re.findall(r"errorlist.{0,300}", response.content.decode())
    poll = Poll.objects.get(title="Bicycle parking")
    assert (poll.reward_programme, poll.reward_action) == ("active_citizen", "vote")
    change = {**_add_form(""), "title": "Bicycle parking"}
    assert console.post(f"/console/voting/poll/{poll.pk}/change/", change).status_code == 302
    poll.refresh_from_db()
    assert poll.reward_action == ""


def test_a_rule_that_is_not_offered_is_refused_and_nothing_is_saved(console):
    response = console.post("/console/voting/poll/add/", _add_form("active_citizen:free_money"))
    assert response.status_code == 200
    assert not Poll.objects.filter(title="Bicycle parking").exists()
    assert "free_money" in response.content.decode()  # the form names the refused choice


def test_an_open_polls_points_are_shown_not_offered(console, open_poll):
    from django.utils.html import escape

    from gorod.points.selectors import earning_rule_choices

    page = console.get(f"/console/voting/poll/{open_poll.pk}/change/").content.decode()
    assert 'name="reward"' not in page
    (label,) = [label for p, a, label in earning_rule_choices() if (p, a) == ("active_citizen", "vote")]
    assert escape(label) in page
    before = (open_poll.reward_programme, open_poll.reward_action)
    console.post(f"/console/voting/poll/{open_poll.pk}/change/", {**_add_form(""), "title": "Renamed"})
    open_poll.refresh_from_db()
    assert open_poll.title == "Renamed"  # the save went through
    assert (open_poll.reward_programme, open_poll.reward_action) == before  # frozen: never cleared


@pytest.mark.parametrize(
    ("page", "chosen"),
    [("/console/voting/quiz/add/", "quiz"), ("/console/voting/quest/add/", "quest_complete")],
)
def test_quizzes_and_quests_offer_active_citizens_rules_by_name(console, page, chosen):
    from django.utils.html import escape

    from gorod.points.selectors import earning_rule_choices

    html = console.get(page).content.decode()
    assert '<select name="reward_action"' in html
    assert f'value="{chosen}" selected' in html
    for programme, action, label in earning_rule_choices():
        assert (escape(label) in html) == (programme == "active_citizen"), (programme, action)


def test_a_quiz_paid_by_an_unknown_rule_is_refused_and_not_saved(console):
    from gorod.voting.quizzes.models import Quiz

    from .quiz_helpers import quiz_add_form

    response = console.post("/console/voting/quiz/add/", quiz_add_form(reward_action="qiuz"))
    assert response.status_code == 200 and 'id="id_reward_action_error"' in response.content.decode()
    assert not Quiz.objects.exists()
