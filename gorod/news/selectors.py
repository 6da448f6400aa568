"""Reads of city news: the personalised feed with reasons, items, catalogue, stories."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from gorod.core.cache import shared_cache
from gorod.core.db.related import RelatedLink
from gorod.core.errors import NotFound
from gorod.core.time import city_midnight
from gorod.news import rules
from gorod.news.models import Audience, CityService, Follow, Interests, NewsItem, Story

FEED_WINDOW = 300  # newest items considered for one feed
# What news_item_save bumps (gorod.core.cache.shared_cache): the items every resident's feed starts from.
ITEMS = "news.items"


@dataclass(frozen=True)
class FeedEntry:
    item: NewsItem
    score: int
    reasons: list[str]


def interests_of(resident: Any) -> Interests | None:
    if not getattr(resident, "is_authenticated", False):
        return None
    return Interests.objects.filter(resident=resident).select_related("address").first()


def profile_of(resident: Any, interests: Interests | None = None) -> rules.Profile:
    if not getattr(resident, "is_authenticated", False):
        return rules.Profile()
    interests = interests if interests is not None else interests_of(resident)
    district = resident.home_district
    return rules.Profile(
        has_car=bool(interests and interests.car_plate),
        has_children=bool(interests and interests.has_children),
        has_pets=bool(interests and interests.has_pets),
        district_id=district.pk if district else None,
        district_name=district.name if district else "",
        address_id=interests.address_id if interests else None,
    )


def published_items() -> QuerySet[NewsItem]:
    return (
        NewsItem.objects.filter(published=True, published_at__lte=timezone.now())
        .prefetch_related("topics", "districts")
        .order_by("-published_at", "-pk")
    )


def _facts(item: NewsItem) -> rules.ItemFacts:
    return rules.ItemFacts(
        topics=frozenset(t.code for t in item.topics.all()),
        district_ids=frozenset(d.pk for d in item.districts.all()),
        address_id=item.address_id,
        published_at=item.published_at,
    )


def _latest(topic: str, address_id: int | None) -> list[NewsItem]:
    """The newest published items for everyone (``address_id`` None) or about one address (a
    few), read once per process and version of ITEMS (gorod.core.cache.shared_cache)."""

    def read() -> list[NewsItem]:
        rows = published_items()
        if topic:
            rows = rows.filter(topics__code=topic)
        if address_id is None:
            return list(rows.filter(address__isnull=True)[:FEED_WINDOW])
        return list(rows.filter(address_id=address_id)[:FEED_WINDOW])

    return shared_cache.remember(ITEMS, (topic, address_id), read)


def feed(resident: Any, *, topic: str = "") -> list[FeedEntry]:
    """The resident's feed: items for them, fresh ones by their interests, then by recency."""
    profile = profile_of(resident)
    rows = _latest(topic, None)
    if profile.address_id is not None:
        # the same as asking for items with no address or this one, newest first
        rows = sorted(
            [*rows, *_latest(topic, profile.address_id)],
            key=lambda item: (item.published_at, item.pk),
            reverse=True,
        )[:FEED_WINDOW]
    now = timezone.now()
    entries = []
    for item in rows:
        facts = _facts(item)
        if not rules.is_for(profile, facts):
            continue
        relevance = rules.relevance(profile, facts)
        entries.append(FeedEntry(item, relevance.score, relevance.reasons))
    entries.sort(key=lambda e: rules.order_key(e.score, e.item.published_at, now), reverse=True)
    return entries


def feed_page(resident: Any, *, page: int = 1, per_page: int = 20, topic: str = "") -> Page:
    return Paginator(feed(resident, topic=topic), per_page).get_page(page)


def item_get(item_id: int) -> NewsItem:
    item = published_items().select_related("address").filter(pk=item_id).first()
    if item is None:
        raise NotFound()
    return item


AUDIENCE_OF = {
    "has_car": Audience.DRIVERS,
    "has_children": Audience.PARENTS,
    "has_pets": Audience.PET_OWNERS,
}


@dataclass(frozen=True)
class CatalogueEntry:
    service: CityService
    for_you: bool


def catalogue(resident: Any, *, query: str = "", category: str = "") -> list[CatalogueEntry]:
    """Searchable catalogue; services for the resident's interests come first."""
    rows = CityService.objects.filter(published=True).select_related("category")
    if query:
        rows = rows.filter(Q(name__icontains=query) | Q(description__icontains=query))
    if category:
        rows = rows.filter(category__code=category)
    profile = profile_of(resident)
    mine = {aud for attr, aud in AUDIENCE_OF.items() if getattr(profile, attr)}
    topics = set()
    if profile.has_car:
        topics |= rules.CAR_TOPICS
    if profile.has_children:
        topics |= rules.CHILDREN_TOPICS
    if profile.has_pets:
        topics |= rules.PET_TOPICS
    entries = [
        CatalogueEntry(s, s.audience in mine or s.category.code in topics)
        for s in rows.order_by("name")[:200]
    ]
    entries.sort(key=lambda e: not e.for_you)
    return entries


def follows_of(resident: Any) -> tuple[list[str], list[int]]:
    """The codes of the topics and the ids of the districts the resident follows, sorted."""
    rows = Follow.objects.filter(resident=resident)
    topics = sorted(rows.filter(topic__isnull=False).values_list("topic__code", flat=True))
    districts = sorted(rows.filter(district__isnull=False).values_list("district_id", flat=True))
    return topics, [d for d in districts if d is not None]


def stories(*, kind: str = "") -> QuerySet[Story]:
    rows = Story.objects.filter(published=True, published_at__lte=timezone.now())
    if kind:
        rows = rows.filter(kind=kind)
    return rows.order_by("-published_at", "-pk")


def story_links_for_decisions(decision_ids: Collection[int]) -> dict[int, list[RelatedLink]]:
    """Published stories about Active Citizen decisions, for the decisions map (one query)."""
    links: dict[int, list[RelatedLink]] = {}
    for story in stories().filter(decision_id__in=list(decision_ids)).only("pk", "title", "decision_id"):
        assert story.decision_id is not None
        links.setdefault(story.decision_id, []).append(
            RelatedLink(title=story.title, url=reverse("news:story", args=[story.pk]), kind="story")
        )
    return links


def items_published_on(day: dt.date) -> list[NewsItem]:
    """City-wide and district news published on a city day (building announcements aside)."""
    return list(
        NewsItem.objects.filter(
            published=True,
            address__isnull=True,
            published_at__gte=city_midnight(day),
            published_at__lt=city_midnight(day + dt.timedelta(days=1)),
        )
        .prefetch_related("topics", "districts")
        .order_by("published_at", "pk")
    )
