"""Backup and restore on PostgreSQL, as docs/deploy describes it: pg_dump of a populated city,
pg_restore into a fresh database, and the restored city is the same city: points_check passes,
every balance, ballot count, tally and table's content is equal."""

from __future__ import annotations

import json
import os
import subprocess
import uuid
from pathlib import Path
from urllib.parse import urlparse

import pytest

from conftest import postgres_only
from tests.clock import clocked

ROOT = Path(__file__).resolve().parents[1]
pytestmark = [postgres_only]


def _url_for(name: str) -> str:
    parsed = urlparse(os.environ["DATABASE_URL"])
    return parsed._replace(path=f"/{name}").geturl()


def _pg_args() -> list[str]:
    parsed = urlparse(os.environ["DATABASE_URL"])
    args = [
        "-h",
        parsed.hostname or "127.0.0.1",
        "-p",
        str(parsed.port or 5432),
        "-U",
        parsed.username or "postgres",
    ]
    return args


def _run(cmd: list[str], env: dict[str, str] | None = None) -> str:
    result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"{cmd}: {result.stdout[-2000:]} {result.stderr[-2000:]}"
    return result.stdout


def _django(database: str, *args: str) -> str:
    env = {
        **os.environ,
        "DATABASE_URL": _url_for(database),
        "PGPASSWORD": urlparse(os.environ["DATABASE_URL"]).password or "",
    }
    return _run(clocked(list(args)), env=env)


@pytest.fixture
def scratch_databases():
    """Two fresh databases of our own (named after this worktree's database), dropped after."""
    base = urlparse(os.environ["DATABASE_URL"]).path.lstrip("/") or "gorod"
    tag = uuid.uuid4().hex[:8]
    names = [f"{base}_backup_src_{tag}", f"{base}_backup_dst_{tag}"]
    for name in names:
        _run(["createdb", *_pg_args(), name])
    try:
        yield names
    finally:
        for name in names:
            subprocess.run(["dropdb", *_pg_args(), "--if-exists", name], capture_output=True, timeout=120)


def test_a_restored_dump_is_the_same_city(scratch_databases, tmp_path):
    source, target = scratch_databases
    _django(source, "manage.py", "migrate", "--noinput", "-v", "0")
    _django(source, "manage.py", "seed_demo", "-v", "0")
    dump = tmp_path / "gorod.dump"
    _run(["pg_dump", *_pg_args(), "--format=custom", "--no-owner", "--file", str(dump), source])
    _run(["pg_restore", *_pg_args(), "--no-owner", "--exit-on-error", "--dbname", target, str(dump)])
    # the documented check after a restore
    _django(target, "manage.py", "points_check")
    original = json.loads(_django(source, "tests/city_fingerprint.py"))
    restored = json.loads(_django(target, "tests/city_fingerprint.py"))
    assert original["points_check"] == {"mismatches": [], "sum_of_balances": 0}
    assert restored["points_check"] == original["points_check"]
    assert restored["balances"] == original["balances"] and len(original["balances"]) > 10
    assert restored.get("ballots") == original.get("ballots") and original.get("ballots")
    assert restored.get("tallies") == original.get("tallies")
    assert restored["tables"] == original["tables"]
    # and the restored city keeps working: migrations are all applied there
    assert "[ ]" not in _django(target, "manage.py", "showmigrations")
