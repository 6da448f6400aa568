"""Following news by topic and district, and the daily e-mail digest of what was published.

The digest for a city day is sent once per resident whatever the number of runs: it is one
notification with the event key ``news_digest:<day>`` (unique per resident), e-mailed after
commit only to residents whose ``news_digest`` preference is on."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_noop

from gorod.accounts.models import District, Resident
from gorod.core.messages import Message, ngettext_noop
from gorod.core.time import city_today
from gorod.news import selectors
from gorod.news.errors import UnknownFollow
from gorod.news.models import Follow, NewsItem, Topic
from gorod.notifications import services as notifications

DIGEST_ITEMS_MAX = 20


@transaction.atomic
def follows_set(*, resident: Resident, topic_ids: Iterable[int], district_ids: Iterable[int]) -> int:
    """Replace what the resident follows with these topics and districts (unknown ids ignored)."""
    topics = set(Topic.objects.filter(pk__in=list(topic_ids)).values_list("pk", flat=True))
    districts = set(District.objects.filter(pk__in=list(district_ids)).values_list("pk", flat=True))
    Follow.objects.filter(resident=resident).filter(
        Q(topic__isnull=False) & ~Q(topic_id__in=topics)
        | Q(district__isnull=False) & ~Q(district_id__in=districts)
    ).delete()
    have = set(Follow.objects.filter(resident=resident).values_list("topic_id", "district_id"))
    fresh = [Follow(resident=resident, topic_id=t) for t in topics if (t, None) not in have]
    fresh += [Follow(resident=resident, district_id=d) for d in districts if (None, d) not in have]
    Follow.objects.bulk_create(fresh, ignore_conflicts=True)
    return len(topics) + len(districts)


def follows_set_strict(*, resident: Resident, topic_codes: Iterable[str], district_ids: Iterable[int]) -> int:
    """As ``follows_set``, for API clients that name topics by code: an unknown topic or district
    refuses the whole list (nothing changes), so a typo is never silently dropped."""
    codes, districts = set(topic_codes), set(district_ids)
    topics = dict(Topic.objects.filter(code__in=codes).values_list("code", "pk"))
    if unknown := sorted(codes - set(topics)):
        raise UnknownFollow(field="topics", unknown=unknown)
    known = set(District.objects.filter(pk__in=districts).values_list("pk", flat=True))
    if unknown_ids := sorted(districts - known):
        raise UnknownFollow(field="district_ids", unknown=unknown_ids)
    return follows_set(resident=resident, topic_ids=topics.values(), district_ids=known)


def _followers_of(items: list[NewsItem]) -> dict[int, list[NewsItem]]:
    topic_ids = {t.pk for item in items for t in item.topics.all()}
    district_ids = {d.pk for item in items for d in item.districts.all()}
    by_resident: dict[int, list[NewsItem]] = defaultdict(list)
    follows = Follow.objects.filter(Q(topic_id__in=topic_ids) | Q(district_id__in=district_ids)).values_list(
        "resident_id", "topic_id", "district_id"
    )
    wanted: dict[int, tuple[set[int], set[int]]] = defaultdict(lambda: (set(), set()))
    for resident_id, topic_id, district_id in follows:
        (wanted[resident_id][0].add(topic_id) if topic_id else wanted[resident_id][1].add(district_id))
    for resident_id, (topics, districts) in wanted.items():
        for item in items:
            if topics & {t.pk for t in item.topics.all()} or districts & {d.pk for d in item.districts.all()}:
                by_resident[resident_id].append(item)
    return by_resident


def digests_send(*, day: dt.date | None = None) -> int:
    """Send yesterday's digest (by default) to everyone following a topic or district it touched.
    Idempotent: a second run notifies nobody again."""
    day = day or city_today() - dt.timedelta(days=1)
    items = selectors.items_published_on(day)
    if not items:
        return 0
    sent = 0
    for resident_id, matched in sorted(_followers_of(items).items()):
        matched = matched[:DIGEST_ITEMS_MAX]
        with transaction.atomic():
            sent += notifications.notify(
                resident_ids=[resident_id],
                kind="news_digest",
                event_key=f"news_digest:{day.isoformat()}",
                title=Message(
                    *ngettext_noop(
                        "%(count)d news item you follow, %(day)s",
                        "%(count)d news items you follow, %(day)s",
                    ),
                    count=len(matched),
                    day=day,
                ),
                body=Message(
                    gettext_noop("%(items)s\n\nChange what you follow: %(path)s"),
                    items=[item.title for item in matched],
                    path=reverse("news:follow"),
                ),
                url=reverse("news:feed"),
            )
    return sent
