"""Public pages and public API endpoints never show a resident's name, e-mail or phone.

Seeds the demo city (residents with histories in every service), gives them phones, then reads,
as an anonymous visitor, every public GET endpoint of the OpenAPI schema (path ids filled from
1 to 3) and every page reachable by links from the home page, and looks for their identities.
"""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import urljoin, urlparse

import pytest
from django.core.management import call_command
from django.test import Client

from gorod.accounts.models import Resident

pytestmark = pytest.mark.django_db

RESIDENT_LOGINS = ["anna", "boris", "vera", "gleb"]
SKIP_PREFIXES = ("/console/", "/static/", "/media/", "/i18n/", "/accounts/", "/api/v1/docs")
MAX_PAGES = 150


@pytest.fixture
def demo_city():
    call_command("seed_demo", verbosity=0)
    identities = {}
    for n, login in enumerate(RESIDENT_LOGINS):
        resident = Resident.objects.get(username=login)
        resident.phone = f"+7999000{n:04d}"
        resident.save(update_fields=["phone"])
        identities[login] = [resident.get_full_name(), resident.last_name, resident.email, resident.phone]
    return identities


def _leaks(body: str, identities: dict[str, list[str]]) -> list[str]:
    return [
        f"{login}: {needle}"
        for login, needles in identities.items()
        for needle in needles
        if needle and needle in body
    ]


def _public_get_paths(client: Client) -> list[str]:
    schema = client.get("/api/v1/openapi.json").json()
    paths = []
    for path, operations in schema["paths"].items():
        operation = operations.get("get")
        if operation is None or operation.get("security"):
            continue
        params = re.findall(r"{(\w+)}", path)
        if not params:
            paths.append(path)
            continue
        for value in (1, 2, 3):
            paths.append(re.sub(r"{\w+}", str(value), path))
    return paths


def test_public_api_never_exposes_residents(demo_city):
    client = Client()
    found = {}
    for path in _public_get_paths(client):
        response = client.get(path)
        assert response.status_code < 500, path
        leaks = _leaks(response.content.decode(errors="replace"), demo_city)
        if leaks:
            found[path] = leaks
    assert found == {}


def test_public_pages_never_expose_residents(demo_city):
    client = Client()
    seen: set[str] = set()
    queue = deque(["/"])
    found = {}
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code < 500, url
        if "text/html" not in response.get("Content-Type", "") and "json" not in response.get(
            "Content-Type", ""
        ):
            continue
        body = response.content.decode(errors="replace")
        leaks = _leaks(body, demo_city)
        if leaks:
            found[url] = leaks
        for href in re.findall(r'href="([^"#]+)"', body):
            target = urlparse(urljoin(url, href.replace("&amp;", "&")))
            if target.netloc or not target.path.startswith("/") or target.path.startswith(SKIP_PREFIXES):
                continue
            queue.append(target.path + (f"?{target.query}" if target.query else ""))
    assert len(seen) > 10
    assert found == {}
