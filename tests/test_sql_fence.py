"""The fast paths are fenced (ADR 0005): hand-written SQL lives only in per-app ``sql.py``
modules (``gorod/<app>/sql.py``, or a sub-package's ``sql.py``), each function paired with a
test that it answers what its ORM version answers on SQLite and PostgreSQL. Anywhere else a
cursor, ``.raw()``, ``RawSQL`` or ``.extra()`` fails this check unless the module is on the
allow-list below with its reason."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCANNED = ("gorod", "config")

# What counts as hand-written SQL: a DB-API cursor (Django's or the driver's), or the ORM's
# escape hatches. The database backends (core's pg/ and sqlite/) talk to the driver's own
# connection (``connection.execute``: PRAGMAs, BEGIN), below the ORM, and are not matched.
PATTERNS = re.compile(
    r"\bconnection\.cursor\(|\bconnections\[[^\]]*\]\.cursor\(|\bdb\.cursor\(|\bcursor\.execute(many)?\("
    r"|\.raw\(|\bRawSQL\b|\.extra\("
)

# module -> why it may hold SQL outside a sql.py
ALLOWED = {
    # Operations probe the database itself; there is no ORM question to ask.
    "config/ops.py": "readiness probe: SELECT 1 on the default connection",
}


def _modules() -> list[Path]:
    found = []
    for top in SCANNED:
        for path in sorted((ROOT / top).rglob("*.py")):
            relative = path.relative_to(ROOT)
            parts = relative.parts
            if "tests" in parts or "migrations" in parts or path.name.startswith("test_"):
                continue  # tests inspect the database directly; migrations are frozen history
            found.append(path)
    return found


def _offences(path: Path) -> list[str]:
    hits = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        code = line.split("#", 1)[0]
        if PATTERNS.search(code):
            hits.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    return hits


def test_hand_written_sql_only_in_sql_modules():
    offences = [
        hit
        for path in _modules()
        if path.name != "sql.py" and str(path.relative_to(ROOT)) not in ALLOWED
        for hit in _offences(path)
    ]
    assert not offences, (
        "Hand-written SQL outside a sql.py module (move it to the app's sql.py with an ORM"
        " equivalence test, ADR 0005):\n" + "\n".join(offences)
    )


def test_the_allow_list_names_no_module_that_no_longer_needs_it():
    stale = [name for name in ALLOWED if not (ROOT / name).exists() or not _offences(ROOT / name)]
    assert not stale, f"Drop these from the allow-list: {stale}"


def test_the_check_sees_each_idiom():
    samples = [
        "with connection.cursor() as c:",
        "connections[alias].cursor()",
        "cursor.execute(sql, params)",
        "cursor.executemany(sql, rows)",
        "Model.objects.raw('SELECT 1')",
        "qs.annotate(x=RawSQL('1', []))",
        "qs.extra(where=['1=1'])",
    ]
    assert all(PATTERNS.search(sample) for sample in samples)
    assert not PATTERNS.search("Transfer.objects.filter(amount__gt=0)")
