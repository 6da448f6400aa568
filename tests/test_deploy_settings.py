"""Production settings pass Django's deployment checklist and send the security headers."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def production_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        # any epoch's public key: web processes hold only that (ADR 0003, "Key custody")
        GOROD_BALLOT_SEAL_PUBLIC_KEY=secrets.token_hex(32),
        DJANGO_ALLOWED_HOSTS="gorod.example.city",
        DJANGO_CSRF_TRUSTED_ORIGINS="https://gorod.example.city",
        GOROD_SITE_URL="https://gorod.example.city",
        GOROD_CACHE="db",
    )
    return env


def test_check_deploy_is_clean_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_with_the_demo_trustees_and_nothing_starts_without_a_seal_key():
    """The demo's trustees' keys derive from SECRET_KEY: with them one operator holds every share."""
    env = production_env() | {"GOROD_BALLOT_DEMO_CUSTODY": "1"}
    run = [sys.executable, "manage.py", "check", "--deploy"]
    result = subprocess.run(run, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and "voting.E001" in result.stderr + result.stdout
    env = production_env()
    del env["GOROD_BALLOT_SEAL_PUBLIC_KEY"]
    result = subprocess.run(run, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and "GOROD_BALLOT_SEAL_PUBLIC_KEY must be set" in result.stderr


@pytest.mark.parametrize("site_url", [None, "http://gorod.example.city"])
def test_check_deploy_fails_without_an_https_site_url(site_url):
    """Issue 25: every e-mail link pointed at http://127.0.0.1:8000 because nothing set it."""
    env = production_env()
    if site_url is None:
        del env["GOROD_SITE_URL"]
    else:
        env["GOROD_SITE_URL"] = site_url
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and "gorod.E001" in result.stderr + result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = production_env()
    del env["DJANGO_SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0 and "DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_security_headers_on_pages_and_api(client):
    for url in ("/", "/api/v1/openapi.json", "/accounts/sign-in/"):
        response = client.get(url)
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp and "frame-ancestors 'none'" in csp
        assert response["X-Frame-Options"] == "DENY"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "camera=(self)" in response["Permissions-Policy"]


def test_production_settings_have_hsts_and_secure_cookies():
    code = (
        "from django.conf import settings as s;"
        "print(s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT)"
    )
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings'); django.setup(); {code}",
        ],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.split() == ["31536000", "True", "True", "True"], result.stderr


def test_collectstatic_works_with_production_settings(tmp_path):
    env = {**production_env(), "DJANGO_STATIC_ROOT": str(tmp_path / "static")}
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert (tmp_path / "static" / "staticfiles.json").exists()


def _sqlite_pragmas(tmp_path: Path, synchronous: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "GOROD_SQLITE_SYNCHRONOUS"}}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'durable.sqlite3'}"
    if synchronous is not None:
        env["GOROD_SQLITE_SYNCHRONOUS"] = synchronous
    code = (
        "import django; django.setup()\n"
        "from django.db import connection\n"
        "with connection.cursor() as c:\n"
        "    c.execute('PRAGMA synchronous'); print(c.fetchone()[0])\n"
        "    c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_sqlite_syncs_every_commit_by_default_and_normal_is_a_choice(tmp_path):
    # PRAGMA synchronous: 2 = FULL (every commit reaches the disk), 1 = NORMAL.
    assert _sqlite_pragmas(tmp_path, None).stdout.split() == ["2", "wal"]
    assert _sqlite_pragmas(tmp_path, "normal").stdout.split() == ["1", "wal"]
    refused = _sqlite_pragmas(tmp_path, "OFF")
    assert refused.returncode != 0
    assert "GOROD_SQLITE_SYNCHRONOUS must be FULL, NORMAL or EXTRA" in refused.stderr
