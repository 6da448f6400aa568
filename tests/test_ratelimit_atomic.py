"""Rate-limit counters are atomic: eight clients, each a process with its own connection, count
against one limit at once, on the database cache (SQLite and PostgreSQL) and on Redis. The limit
lets through exactly its count and the counter loses no request. Django's own DatabaseCache
(get then set) lost most of them: 800 requests counted as 154 on PostgreSQL, all 800 let through
a limit of 300 (tests/ratelimit_race.py prints the figures)."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from conftest import postgres_only

ROOT = Path(__file__).resolve().parents[1]
CLIENTS, REQUESTS, LIMIT = 8, 40, 120


def race(**env: str) -> dict:
    environment = {
        **os.environ,
        "RACE_CLIENTS": str(CLIENTS),
        "RACE_REQUESTS": str(REQUESTS),
        "RACE_LIMIT": str(LIMIT),
        **env,
    }
    done = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "ratelimit_race.py")],
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def assert_exact(result: dict) -> None:
    assert result["clients"] == CLIENTS
    assert result["requests"] == CLIENTS * REQUESTS
    assert result["allowed"] == LIMIT  # not one more
    assert result["counter"] == CLIENTS * REQUESTS  # no count lost


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server is not installed (make system-deps installs it)")
    port = _free_port()
    process = subprocess.Popen(
        [
            server,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_database_cache_counts_atomically_on_sqlite(tmp_path: Path) -> None:
    result = race(GOROD_CACHE="db", DATABASE_URL=f"sqlite:///{tmp_path / 'race.sqlite3'}")
    assert result["backend"] == "gorod.core.cache.dbcache.AtomicDatabaseCache"
    assert result["database"] == "sqlite"
    assert_exact(result)


@pytest.mark.postgres_only
@postgres_only
def test_database_cache_counts_atomically_on_postgresql() -> None:
    import psycopg

    server = urlsplit(os.environ["DATABASE_URL"])
    name = f"gorod_race_{secrets.token_hex(4)}"
    admin_url = urlunsplit(server._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        result = race(GOROD_CACHE="db", DATABASE_URL=urlunsplit(server._replace(path=f"/{name}")))
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    assert result["database"] == "postgresql"
    assert_exact(result)


def test_redis_counts_atomically(redis_url: str, tmp_path: Path) -> None:
    result = race(
        GOROD_CACHE="redis",
        GOROD_CACHE_LOCATION=redis_url,
        DATABASE_URL=f"sqlite:///{tmp_path / 'unused.sqlite3'}",
    )
    assert result["backend"] == "django_redis.cache.RedisCache"
    assert_exact(result)
