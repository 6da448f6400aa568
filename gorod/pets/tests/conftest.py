from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from gorod.accounts.tests.factories import DistrictFactory, ResidentFactory
from gorod.pets import services
from gorod.pets.models import PetNotice


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (120, 120, 120)).save(out, format="PNG")
    return out.getvalue()


PNG = _png()  # a real image: photos are decoded, not judged by their first bytes


@pytest.fixture
def district(db: Any) -> Any:
    return DistrictFactory()  # boundary: lon 37.5-37.7, lat 55.7-55.8


@pytest.fixture
def moderator(db: Any) -> Any:
    return ResidentFactory(roles=["moderator"], is_staff=True)


def post_notice(
    author: Any,
    *,
    kind: str = "lost",
    animal: str = "cat",
    lat: str = "55.7500",
    lon: str = "37.6000",
    days_ago: float = 1,
    text: str = "Grey cat",
    **extra: Any,
) -> PetNotice:
    return services.notice_create(
        author=author,
        kind=kind,
        animal=animal,
        description=text,
        latitude=Decimal(lat),
        longitude=Decimal(lon),
        seen_at=timezone.now() - dt.timedelta(days=days_ago),
        **extra,
    )


def published(author: Any, moderator: Any, **fields: Any) -> PetNotice:
    notice = post_notice(author, **fields)
    return services.notice_moderate(notice_id=notice.pk, moderator=moderator, approve=True)


def sign_in_browser(page: Any, live_server: Any, user: Any) -> None:
    """Put a signed-in session cookie into the browser (the sign-in form is tested elsewhere)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user, backend="gorod.accounts.backends.EmailOrPhoneBackend")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
