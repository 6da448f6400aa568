"""News feeds (RSS 2.0 and Atom, Django's syndication framework), per topic and district:
``/news/feeds/rss/?topic=transport&district=arbat``. Public, like the news itself; no
building announcements."""

from __future__ import annotations

from typing import Any

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from gorod.accounts.models import District
from gorod.news.models import NewsItem, Topic
from gorod.news.selectors import published_items

FEED_ITEMS = 30


class NewsFeed(Feed):
    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        topic = Topic.objects.filter(code=request.GET.get("topic", "")[:40]).first()
        district = District.objects.filter(code=request.GET.get("district", "")[:40]).first()
        return {"topic": topic, "district": district}

    def title(self, obj: dict[str, Any]) -> str:
        parts = [str(part.label if isinstance(part, Topic) else part.name) for part in obj.values() if part]
        return " · ".join([_("City news"), *parts])

    def link(self, obj: dict[str, Any]) -> str:
        return reverse("news:feed")

    def description(self, obj: dict[str, Any]) -> str:
        return _("News of the city, by topic and district.")

    def items(self, obj: dict[str, Any]) -> QuerySet[NewsItem]:
        rows = published_items().filter(address__isnull=True)
        if obj["topic"] is not None:
            rows = rows.filter(topics=obj["topic"])
        if obj["district"] is not None:
            rows = rows.filter(districts=obj["district"])
        return rows.distinct()[:FEED_ITEMS]

    def item_title(self, item: NewsItem) -> str:
        return item.title

    def item_description(self, item: NewsItem) -> str:
        return item.text[:500]

    def item_link(self, item: NewsItem) -> str:
        return reverse("news:item", args=[item.pk])

    def item_pubdate(self, item: NewsItem) -> Any:
        return item.published_at


class AtomNewsFeed(NewsFeed):
    feed_type = Atom1Feed
    subtitle = NewsFeed.description
