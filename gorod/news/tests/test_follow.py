"""Issue 25: news followed per topic and district, by a daily e-mail digest (a periodic job,
idempotent) or by RSS/Atom feeds."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from gorod.accounts.tests.factories import DistrictFactory, ResidentFactory
from gorod.news.models import Follow
from gorod.news.tests.conftest import make_item
from gorod.notifications.models import Notification

pytestmark = pytest.mark.django_db(transaction=True)

# 10:00 in Moscow on 14 March 2026; "yesterday" is the 13th.
NOW = dt.datetime(2026, 3, 14, 7, 0, tzinfo=dt.UTC)


@pytest.fixture
def city():
    arbat = DistrictFactory(code="arbat-news", name="Arbat")
    other = DistrictFactory(code="tverskoy-news", name="Tverskoy")
    with time_machine.travel(NOW, tick=False):
        make_item("Tram 39 returns", topics=["transport"], hours_ago=20)  # the 13th, city time
        make_item("Arbat fair on Sunday", districts=[arbat], hours_ago=18)  # the 13th
        make_item("Tverskoy roadworks", topics=["roads"], districts=[other], hours_ago=19)  # not followed
        make_item("Old transport news", topics=["transport"], hours_ago=60)  # the 11th
    return arbat


def test_follow_page_then_one_digest_per_day_whatever_the_runs(city):
    from gorod.news.models import Topic

    reader = ResidentFactory()
    client = Client()
    client.force_login(reader)
    transport = Topic.objects.get(code="transport")
    page = client.get(reverse("news:follow")).content.decode()
    assert f'value="{transport.pk}"' in page and "feeds/rss/?topic=transport" in page
    client.post(reverse("news:follow"), {"topic": [transport.pk], "district": [city.pk]})
    assert Follow.objects.filter(resident=reader).count() == 2
    with time_machine.travel(NOW, tick=False):
        call_command("run_schedules", verbosity=0)
        call_command("run_schedules", verbosity=0)  # cron may run it again: nothing twice
    [digest] = Notification.objects.filter(resident=reader, kind="news_digest")
    assert "Tram 39 returns" in digest.body and "Arbat fair on Sunday" in digest.body
    assert "Tverskoy" not in digest.body and "Old transport" not in digest.body
    # composed for each reader: the count's plural form, the date and the footer in their language
    with translation.override("ru"):
        assert digest.shown_title.startswith("2 новости по вашим подпискам, 13 марта 2026")
        assert "Изменить подписки" in digest.shown_body and "- Tram 39 returns" in digest.shown_body
    with translation.override("en"):
        assert digest.shown_title == "2 news items you follow, 13 March 2026"
    [message] = mail.outbox
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_digest_respects_the_preference_and_unfollowing(city):
    reader = ResidentFactory()
    client = Client()
    client.force_login(reader)
    client.post(reverse("news:follow"), {"district": [city.pk]})
    client.post(reverse("notifications:preferences"), {})  # every e-mail off
    with time_machine.travel(NOW, tick=False):
        call_command("run_schedules", verbosity=0)
    assert Notification.objects.filter(resident=reader, kind="news_digest").count() == 1
    assert mail.outbox == []
    client.post(reverse("news:follow"), {})
    assert not Follow.objects.filter(resident=reader).exists()


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_feeds_per_topic_and_district(client, city, kind):
    with time_machine.travel(NOW, tick=False):
        by_topic = client.get(reverse(f"news:feed_{kind}") + "?topic=transport")
        by_district = client.get(reverse(f"news:feed_{kind}") + f"?district={city.code}")
    assert by_topic.status_code == 200 and "xml" in by_topic["Content-Type"]
    topic_titles = [e.text for e in ET.fromstring(by_topic.content).iter() if e.tag.endswith("title")]
    district_titles = [e.text for e in ET.fromstring(by_district.content).iter() if e.tag.endswith("title")]
    assert "Tram 39 returns" in topic_titles and "Old transport news" in topic_titles
    assert "Arbat fair on Sunday" not in topic_titles and "Tverskoy roadworks" not in topic_titles
    assert "Arbat fair on Sunday" in district_titles and "Tram 39 returns" not in district_titles
