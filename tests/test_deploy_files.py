"""Issue 25: the ready-made deployment files work on a fresh machine as they are."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.test_deploy_settings import production_env

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "docs" / "deploy"


def _unit(name: str) -> dict[str, list[str]]:
    keys: dict[str, list[str]] = {}
    for line in (DEPLOY / name).read_text().splitlines():
        key, sep, value = line.partition("=")
        if sep and not line.startswith("#"):
            keys.setdefault(key.strip(), []).append(value.strip())
    return keys


def test_backup_unit_creates_its_folder_before_the_first_dump():
    unit = _unit("gorod-backup.service")
    [dump] = re.findall(r"--file=(\S+)/gorod-", unit["ExecStart"][0])
    created = [
        line
        for line in unit.get("ExecStartPre", [])
        if line.startswith("+") and re.search(rf"\b(install -d|mkdir -p)\b.*\s{re.escape(dump)}$", line)
    ]
    assert created, f"nothing creates {dump} before the dump"
    assert "-o postgres" in created[0]  # the dump runs as postgres and must write there


def _env_example() -> dict[str, str]:
    env = {}
    for line in (DEPLOY / "env.example").read_text().splitlines():
        key, sep, value = line.partition("=")
        if sep and not line.startswith("#"):
            env[key.strip()] = value.strip()
    return env


def test_env_example_shares_the_cache_between_workers_and_sets_the_site_url(tmp_path):
    example = _env_example()
    assert example["GOROD_SITE_URL"].startswith("https://")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GOROD_"))}
    env.update(example)
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", DJANGO_SETTINGS_MODULE="config.settings")
    code = "import django; django.setup(); from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    backend = result.stdout.strip()
    assert backend.endswith(("DatabaseCache", "RedisCache", "PyMemcacheCache")), result.stderr[-2000:]


def test_check_deploy_warns_about_a_per_process_cache():
    env = production_env()
    del env["GOROD_CACHE"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and "gorod.W002" in result.stderr + result.stdout
