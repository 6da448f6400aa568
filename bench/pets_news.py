"""Lost-pet suggestions and the personalised news feed at city scale.

Fills a throw-away test database with published pet notices and news items, then times the
suggestion query for a lost notice and the feed for a resident with a car. Prints figures.

    .venv/bin/python bench/pets_news.py [notices] [news_items]
"""

from __future__ import annotations

import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


def main(notices: int, items: int) -> None:
    import datetime as dt
    from decimal import Decimal

    from django.utils import timezone

    from gorod.accounts.models import District, Okrug, Resident
    from gorod.news import selectors as news_selectors
    from gorod.news import services as news_services
    from gorod.news.models import NewsItem, Topic
    from gorod.pets import selectors as pet_selectors
    from gorod.pets.models import NoticeStatus, PetNotice

    rng = random.Random(7)
    okrug = Okrug.objects.create(code="o", name="O")
    box = {
        "type": "Polygon",
        "coordinates": [[[37.3, 55.5], [37.9, 55.5], [37.9, 56.0], [37.3, 56.0], [37.3, 55.5]]],
    }
    district = District.objects.create(okrug=okrug, code="d", name="D", boundary=box)
    author = Resident.objects.create(username="bench-author", level="standard")
    now = timezone.now()
    animals = ["dog", "cat", "bird", "rodent", "other"]
    started = time.perf_counter()
    PetNotice.objects.bulk_create(
        [
            PetNotice(
                author=author,
                kind=rng.choice(["lost", "found"]),
                animal=rng.choice(animals),
                description="bench",
                latitude=Decimal(f"{rng.uniform(55.5, 56.0):.6f}"),
                longitude=Decimal(f"{rng.uniform(37.3, 37.9):.6f}"),
                district=district,
                seen_at=now - dt.timedelta(hours=rng.uniform(0, 24 * 120)),
                status=NoticeStatus.PUBLISHED,
            )
            for _ in range(notices)
        ],
        batch_size=2000,
    )
    print(f"pets: {notices} published notices created in {time.perf_counter() - started:.1f}s")
    lost = list(PetNotice.objects.filter(kind="lost")[:200])
    started = time.perf_counter()
    found = sum(len(pet_selectors.suggestions(n)) for n in lost)
    took = time.perf_counter() - started
    print(
        f"pets: suggestions for {len(lost)} lost notices in {took:.2f}s ({took / len(lost) * 1000:.1f} ms each, {found} matches)"
    )

    topics = list(Topic.objects.all())
    started = time.perf_counter()
    rows = NewsItem.objects.bulk_create(
        [
            NewsItem(title=f"News {n}", text="t", published_at=now - dt.timedelta(minutes=n * 7))
            for n in range(items)
        ],
        batch_size=2000,
    )
    through = NewsItem.topics.through
    through.objects.bulk_create(
        [through(newsitem_id=row.pk, topic_id=rng.choice(topics).pk) for row in rows], batch_size=2000
    )
    print(f"news: {items} items created in {time.perf_counter() - started:.1f}s")
    reader = Resident.objects.create(username="bench-reader", level="standard", home_district=district)
    news_services.interests_update(resident=reader, car_plate="А123ВС77", has_children=True)
    started = time.perf_counter()
    for _ in range(50):
        feed = news_selectors.feed_page(reader, page=1)
    took = time.perf_counter() - started
    print(
        f"news: feed page for a resident with a car: {took / 50 * 1000:.1f} ms (over 50 runs); first: {feed[0].item.title} {feed[0].reasons}"
    )


if __name__ == "__main__":
    n_notices = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    n_items = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        print(f"database: {connection.vendor}")
        main(n_notices, n_items)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
