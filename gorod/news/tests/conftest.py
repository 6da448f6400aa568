from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from gorod.news.models import NewsItem, Topic


def make_item(
    title: str,
    *,
    topics: list[str] = (),
    districts: list[Any] = (),
    hours_ago: float = 1,
    address: Any = None,
) -> NewsItem:
    item = NewsItem.objects.create(
        title=title,
        text=f"{title} text",
        published_at=timezone.now() - dt.timedelta(hours=hours_ago),
        address=address,
    )
    item.topics.set(Topic.objects.filter(code__in=topics))
    item.districts.set(districts)
    return item


def sign_in_browser(page: Any, live_server: Any, user: Any) -> None:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user, backend="gorod.accounts.backends.EmailOrPhoneBackend")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
