"""The resident's home page gathers balance, what is open now, reports and personalised news."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from gorod.core.time import city_today
from gorod.missions.models import Challenge, ProofMethod
from gorod.news import services as news_services
from gorod.news.models import NewsItem, Topic

pytestmark = pytest.mark.django_db
# The demo city is seeded on 5 December, between Moscow's reading windows (the 15th to the 3rd
# for water, to the 26th for the rest): the seed opens them on the day it runs.
BETWEEN_WINDOWS = dt.datetime(2026, 12, 5, 10, 0, tzinfo=ZoneInfo("Europe/Moscow"))


def test_home_page_shows_open_challenges_and_news_with_reasons(
    client, resident, django_assert_max_num_queries
):
    today = city_today()
    Challenge.objects.create(
        title="Run 10 km",
        starts_on=today,
        ends_on=today + dt.timedelta(days=5),
        goal_amount=10,
        unit="km",
        proof_method=ProofMethod.OPERATOR,
        action="sport_norms",
        points_per_unit=100,
    )
    from django.utils import timezone

    item = NewsItem.objects.create(title="Bridge closed", text="t", published_at=timezone.now())
    item.topics.set(Topic.objects.filter(code="roads"))
    news_services.interests_update(resident=resident, car_plate="А123ВС77")
    client.force_login(resident)
    with django_assert_max_num_queries(17):
        response = client.get(reverse("web:home"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Open to you now" in body and "Run 10 km" in body
    assert "Bridge closed" in body and "Because you added a car" in body
    assert "You have no reports." in body


def test_home_page_for_visitors_has_no_board(client, db):
    body = client.get(reverse("web:home")).content.decode()
    assert "Open to you now" not in body


@time_machine.travel(BETWEEN_WINDOWS, tick=False)
def test_a_fully_seeded_residents_home_page_costs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries
):
    """anna of the demo city has open polls, a meeting of her building, meters in their reading
    window, challenges, reports and news; every part is fetched in a constant number of queries
    (no N+1), pinned at the measured figure so a new one shows up here. Measured: 17 (session,
    resident, balance, home district, her buildings, polls, meetings, premises, meters, reading
    windows, challenges + their districts, reports, interests, news + topics + districts); 16
    when no meter needs a reading window (an empty lookup runs no query)."""
    from django.core.management import call_command

    from gorod.accounts.models import Resident
    from gorod.web.dashboard import dashboard

    call_command("seed_demo", verbosity=0)
    anna = Resident.objects.get(username="anna")
    board = dashboard(anna)
    assert board.polls and board.meetings and board.challenges and board.reports and board.news
    client.force_login(anna)
    client.get(reverse("web:home"))  # the first request of a process also loads content types
    with django_assert_max_num_queries(17):
        response = client.get(reverse("web:home"))
    body = response.content.decode()
    assert response.status_code == 200
    assert board.polls[0].title in body and board.meetings[0].title in body
    assert board.meter_windows and "Meter readings are open now: " + ", ".join(board.meter_windows) in body
    assert str(board.reports[0].topic) in body


@time_machine.travel(BETWEEN_WINDOWS, tick=False)
def test_a_residents_second_home_page_reads_only_what_is_theirs(client, django_assert_num_queries):
    """With the shared parts kept (gorod.core.cache.shared_cache, {% shared %}), a signed-in resident's
    home page reads: session, resident with home district, balance, meetings, meters, reports,
    interests. Pinned so that a new query shows up here."""
    from django.core.management import call_command

    from gorod.accounts.models import Resident

    call_command("seed_demo", verbosity=0)
    client.force_login(Resident.objects.get(username="anna"))
    client.get(reverse("web:home"))
    with django_assert_num_queries(8):  # 7 + the header's unread notifications count
        assert client.get(reverse("web:home")).status_code == 200


@pytest.mark.parametrize("language", ["en", "ru"])
def test_each_card_of_the_home_board_has_its_own_heading(client, resident, language):
    """In Russian the reports card was headed «Ваши баллы», as the balance card is."""
    import re

    client.force_login(resident)
    client.cookies["django_language"] = language
    body = client.get(reverse("web:home")).content.decode()
    headings = re.findall(r"<h[23][^>]*>([^<]+)</h[23]>", body)
    assert len(headings) >= 6
    assert len(headings) == len(set(headings)), headings
