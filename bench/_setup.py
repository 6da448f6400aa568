"""Shared set-up for benchmarks: a fresh database per run, Django configured in each process."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def database_url(engine: str, name: str) -> str:
    if engine == "sqlite":
        return f"sqlite:///{Path(tempfile.gettempdir()) / f'{name}.sqlite3'}"
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    return f"{base}/{name}"


def fresh_database(engine: str, name: str) -> str:
    """Drop and create the benchmark database, migrate it, and return its URL."""
    url = database_url(engine, name)
    if engine == "sqlite":
        for suffix in ("", "-wal", "-shm", "-writer"):
            Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
    else:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL.replace("postgres://", "postgresql://"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    django_setup(url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return url


def django_setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("AXES_ENABLED", "0")
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    import django

    django.setup()


def production_env(**extra: str) -> dict[str, str]:
    """This process's environment with gorod's production settings as the API benchmarks run it
    (DEBUG off, persistent connections, rate limits and axes off, warnings only), plus ``extra``."""
    import secrets

    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "bench-" + secrets.token_hex(16),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "GOROD_RATE_LIMITS_ENABLED": "0",
        "GOROD_LOG_LEVEL": "WARNING",
        "AXES_ENABLED": "0",
        "DATABASE_CONN_MAX_AGE": "600",
        **extra,
    }


def sign_in(people: list) -> list[str]:
    """A session per resident, as signing in once leaves it (what django.contrib.auth.login
    stores), made through the session engine; a server sharing this process's SECRET_KEY finds
    the stored session and its auth hash valid."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from gorod.accounts.sessions import SessionStore

    assert settings.SESSION_ENGINE == "gorod.accounts.sessions"
    keys = []
    for person in people:
        session = SessionStore()
        session[SESSION_KEY] = str(person.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
        session[HASH_SESSION_KEY] = person.get_session_auth_hash()
        session.create()
        keys.append(session.session_key)
    return keys


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))
    return ordered[index]
