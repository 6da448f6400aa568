"""Permission matrix of city news: only operators publish news and stories (through the console)."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from gorod.news.models import NewsItem, Story
from tests.permissions.conftest import Attempt, Cast, run_matrix

pytestmark = pytest.mark.django_db

CITY_STAFF = frozenset({"operator", "admin"})
_titles = itertools.count(1)


def _when() -> dict[str, str]:
    now = timezone.localtime()
    return {"published_at_0": now.strftime("%Y-%m-%d"), "published_at_1": now.strftime("%H:%M:%S")}


def attempts(cast: Cast) -> dict[str, tuple[Attempt, frozenset[str]]]:
    def publish_news(client: Client, _target: Any) -> bool:
        title = f"Tram line {next(_titles)} opens"
        client.post(
            "/console/news/newsitem/add/",
            {"title": title, "text": "From Monday.", "published": "on", **_when()},
        )
        return NewsItem.objects.filter(title=title).exists()

    def publish_story(client: Client, _target: Any) -> bool:
        title = f"How Anna saved the park {next(_titles)}"
        client.post(
            "/console/news/story/add/",
            {"kind": "resident", "title": title, "text": "A story.", "published": "on", **_when()},
        )
        return Story.objects.filter(title=title).exists()

    def unpublish(client: Client, item: NewsItem) -> bool:
        client.post(
            f"/console/news/newsitem/{item.pk}/change/",
            {"title": item.title, "text": item.text, **_when()},  # "published" unticked
        )
        return not NewsItem.objects.get(pk=item.pk).published

    def published_item() -> NewsItem:
        return NewsItem.objects.create(title="Snow clearing", text="Tonight.", published_at=timezone.now())

    def hidden_item() -> NewsItem:
        return NewsItem.objects.create(
            title="Draft", text="Not yet.", published_at=timezone.now(), published=False
        )

    def page(url: str) -> Any:
        return lambda client, target: client.get(url.format(pk=getattr(target, "pk", 0))).status_code == 200

    return {
        "console_news": (Attempt(lambda: None, page("/console/news/newsitem/"), writes=False), CITY_STAFF),
        "publish_news": (Attempt(lambda: None, publish_news), CITY_STAFF),
        "unpublish_news": (Attempt(published_item, unpublish), CITY_STAFF),
        "publish_story": (Attempt(lambda: None, publish_story), CITY_STAFF),
        "read_unpublished_item": (Attempt(hidden_item, page("/news/{pk}/"), writes=False), frozenset()),
        "read_unpublished_item_api": (
            Attempt(hidden_item, page("/api/v1/news/items/{pk}"), writes=False),
            frozenset(),
        ),
    }


ACTIONS = [
    "console_news",
    "publish_news",
    "unpublish_news",
    "publish_story",
    "read_unpublished_item",
    "read_unpublished_item_api",
]


@pytest.mark.parametrize("action", ACTIONS)
def test_permission_matrix(cast, action):
    attempt, expected = attempts(cast)[action]
    run_matrix(cast, attempt, expected)
