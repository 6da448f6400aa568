"""Faults: SIGKILL in the middle of a bulk import of meter readings, then the same import again,
gives exactly the result of one clean run: nothing doubled (readings, points), nothing lost."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import uuid
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.clock import clocked

ROOT = Path(__file__).resolve().parents[1]
METERS = 3000
BATCH = 150


def _run(database_url: str, *args: str) -> str:
    env = {**os.environ, "DATABASE_URL": database_url}
    result = subprocess.run(
        clocked(list(args)), cwd=ROOT, env=env, capture_output=True, text=True, timeout=900
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    return result.stdout


@pytest.fixture
def two_databases(tmp_path):
    """Two fresh, migrated databases: PostgreSQL ones of our own when DATABASE_URL is PostgreSQL
    (dropped after), else two SQLite files."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        parsed = urlparse(url)
        pg = [
            "-h",
            parsed.hostname or "127.0.0.1",
            "-p",
            str(parsed.port or 5432),
            "-U",
            parsed.username or "postgres",
        ]
        base = parsed.path.lstrip("/") or "gorod"
        names = [f"{base}_fault_{kind}_{uuid.uuid4().hex[:8]}" for kind in ("clean", "killed")]
        for name in names:
            subprocess.run(["createdb", *pg, name], check=True, capture_output=True, timeout=60)
        urls = [parsed._replace(path=f"/{name}").geturl() for name in names]
    else:
        names = []
        urls = [f"sqlite:///{tmp_path / kind}.sqlite3" for kind in ("clean", "killed")]
    try:
        for db in urls:
            _run(db, "manage.py", "migrate", "--noinput", "-v", "0")
            _run(db, "tests/fault_import.py", "setup", str(METERS))
        yield urls
    finally:
        if names:
            for name in names:
                # DROP DATABASE waits for a checkpoint, which a busy shared server may take long
                # to finish: a database left behind is not the test's failure.
                with contextlib.suppress(subprocess.TimeoutExpired):
                    subprocess.run(
                        ["dropdb", *pg, "--if-exists", "--force", name], capture_output=True, timeout=300
                    )


def test_sigkill_mid_import_then_rerun_equals_one_clean_run(two_databases):
    clean, killed = two_databases
    summary = json.loads(_run(clean, "tests/fault_import.py", "import", str(BATCH)).splitlines()[-1])
    assert summary["accepted"] == METERS and summary["errors"] == 0

    env = {**os.environ, "DATABASE_URL": killed}
    process = subprocess.Popen(
        clocked(["tests/fault_import.py", "import", str(BATCH)]),
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    committed = 0
    for line in process.stdout:
        if line.startswith("committed "):
            committed = int(line.split()[1])
            if committed >= METERS // 3:
                break
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL and 0 < committed < METERS

    partial = json.loads(_run(killed, "tests/fault_import.py", "state"))
    assert committed <= len(partial["readings"]) < METERS  # some batches landed, not all
    assert partial["points_check"][0] == 0  # and the ledger is consistent even mid-way

    _run(killed, "tests/fault_import.py", "import", str(BATCH))
    expected = json.loads(_run(clean, "tests/fault_import.py", "state"))
    actual = json.loads(_run(killed, "tests/fault_import.py", "state"))
    assert len(expected["readings"]) == METERS and expected["points_check"][0] == 0
    assert actual == expected
