from __future__ import annotations

import pytest

from gorod.accounts.tests.factories import ResidentFactory
from gorod.news.tests.conftest import make_item, sign_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _topics() -> None:
    import importlib

    from django.apps import apps

    importlib.import_module("gorod.news.migrations.0002_topics").create(apps, None)


def test_the_feed_puts_road_news_first_after_adding_a_car(browser_page, live_server):
    _topics()
    page = browser_page
    resident = ResidentFactory()
    make_item("Ring road closed at night", topics=["roads", "road_closures"], hours_ago=8)
    make_item("Jazz in the park", topics=["culture"], hours_ago=1)
    sign_in_browser(page, live_server, resident)
    page.goto("/news/")
    items = page.get_by_test_id("feed-item")
    assert "Jazz in the park" in items.first.inner_text()
    page.get_by_role("link", name="My interests").click()
    page.get_by_label("Car plate number").fill("А 123 ВС 77")
    page.get_by_role("button", name="Save").click()
    first = page.get_by_test_id("feed-item").first
    assert "Ring road closed at night" in first.inner_text()
    assert "Because you added a car" in first.get_by_test_id("reasons").inner_text()
