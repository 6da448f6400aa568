from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gorod.accounts import roles
from gorod.accounts.tests.factories import DistrictFactory, ResidentFactory
from gorod.problems.tests.factories import OrganisationFactory, TopicFactory, jpeg_bytes, responder_of

# The test district is a box of its own (20..21 E, 40..41 N): ResidentFactory makes districts
# with the default box around central Moscow, which must not catch the test reports.
INSIDE = ("40.500000", "20.500000")
TEST_BOX = {
    "type": "Polygon",
    "coordinates": [[[20.0, 40.0], [21.0, 40.0], [21.0, 41.0], [20.0, 41.0], [20.0, 40.0]]],
}
OUTSIDE = ("59.930000", "30.310000")  # St Petersburg


@pytest.fixture
def district(db: Any) -> Any:
    return DistrictFactory(code="test-district", name="Test district", boundary=TEST_BOX)


@pytest.fixture
def topic(district: Any) -> Any:
    return TopicFactory(code="bench-broken", name="Broken bench")


@pytest.fixture
def photo_topic(district: Any) -> Any:
    return TopicFactory(code="pothole", name="Pothole", photo_required=True)


@pytest.fixture
def organisation(topic: Any, photo_topic: Any, district: Any) -> Any:
    org = OrganisationFactory(code="gbu-test", name="GBU Test")
    org.topics.add(topic, photo_topic)
    org.districts.add(district)
    return org


@pytest.fixture
def other_organisation(topic: Any, district: Any) -> Any:
    return OrganisationFactory(code="gbu-other", name="GBU Other")


@pytest.fixture
def author(district: Any) -> Any:
    return ResidentFactory(level="full", home_district=district)


@pytest.fixture
def moderator(db: Any) -> Any:
    return ResidentFactory(roles=[roles.MODERATOR])


@pytest.fixture
def operator(db: Any) -> Any:
    return ResidentFactory(roles=[roles.OPERATOR])


@pytest.fixture
def responder(organisation: Any) -> Any:
    person = ResidentFactory(roles=[roles.ORGANISATION_RESPONDER])
    responder_of(organisation, person)
    return person


@pytest.fixture
def media_files(settings: Any) -> Any:
    def files() -> list[Path]:
        root = Path(settings.MEDIA_ROOT)
        return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []

    return files


def upload(name: str = "photo.jpg", content: bytes | None = None, content_type: str = "image/jpeg") -> Any:
    return SimpleUploadedFile(
        name, content if content is not None else jpeg_bytes(), content_type=content_type
    )


TEXT = "The bench near entrance 3 is broken and unsafe to sit on."


def sign_in_browser(page: Any, live_server: Any, user: Any) -> None:
    """Swap the browser's session for ``user`` (the sign-in form is tested by accounts)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user, backend="gorod.accounts.backends.EmailOrPhoneBackend")
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def restore_ledger_data() -> None:
    """A transactional (browser) test may start from a flushed database: put back the points
    programmes and earning rules the migrations created (idempotent)."""
    import importlib

    from django.apps import apps

    for name in (
        "points.migrations.0002_programmes",
        "points.migrations.0003_default_rules",
        "problems.migrations.0002_our_city_rules",
    ):
        importlib.import_module(f"gorod.{name}").create(apps, None)
