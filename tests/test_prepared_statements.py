"""PostgreSQL plans each hot statement once per connection (prepared), not once per request,
unless DATABASE_PREPARED_STATEMENTS=0 (a pooler that cannot keep prepared statements)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from conftest import is_postgres
from gorod.accounts import selectors, services
from gorod.accounts.tests.factories import ResidentFactory

ROOT = Path(__file__).resolve().parents[1]

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not is_postgres(), reason="prepared statements are PostgreSQL's"),
]


def _prepared(fragment: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", [f"%{fragment}%"]
        )
        (count,) = cursor.fetchone()
    return int(count)


def test_the_token_lookup_is_prepared_once_repeated():
    _token, plain = services.api_token_issue(resident=ResidentFactory(), name="phone")
    for _ in range(6):
        found = selectors.live_token(plain)
        assert found is not None and found.resident.pk == _token.resident_id
    assert _prepared('FROM "accounts_apitoken" t JOIN') == 1


def test_prepared_statements_can_be_turned_off():
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(sorted(settings.DATABASES['default'].get('OPTIONS', {})))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    on = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    off = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "DATABASE_PREPARED_STATEMENTS": "0"},
        capture_output=True,
        text=True,
    )
    assert "prepare_threshold" in on.stdout and "server_side_binding" in on.stdout, on.stderr
    assert "prepare_threshold" not in off.stdout and "server_side_binding" not in off.stdout, off.stderr
