"""The databases gorod's settings use, read from environment variables (a topic of
config/settings.py, kept apart so that file stays readable in one sitting).

SQLite by default, PostgreSQL in production via DATABASE_URL, an optional read replica.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

from config.env import env_bool

# SQLite by default (a file in the working directory); PostgreSQL in production via DATABASE_URL.
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{Path.cwd() / 'gorod.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DATABASE_PREPARED_STATEMENTS", True
):
    # Server-side binding, and psycopg prepares a statement once a connection has run it five
    # times: PostgreSQL then stops parsing and planning the hot ones on every request (the token
    # lookup's join, the ballot's insert, the ledger's reads), which was more of the database's
    # CPU than executing them. Set DATABASE_PREPARED_STATEMENTS=0 behind a pooler in transaction
    # mode that cannot keep prepared statements (PgBouncer before 1.21).
    DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=5)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend with a health check that sends no query (see gorod/core/db/pg/base.py).
    DATABASES["default"]["ENGINE"] = "gorod.core.db.pg"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's backend with a BEGIN that skips the cursor wrapper (see gorod/core/db/sqlite/base.py).
    DATABASES["default"]["ENGINE"] = "gorod.core.db.sqlite"
if DATABASES["default"]["ENGINE"] == "gorod.core.db.sqlite":
    # WAL lets readers run beside the writer; IMMEDIATE takes the write lock at BEGIN so two
    # writers queue on busy_timeout instead of failing with "database is locked" on upgrade.
    # synchronous=FULL syncs the WAL at every commit: points are money, and NORMAL may lose the
    # last commits to a power cut or OS crash (it survives only the process crashing).
    # GOROD_SQLITE_SYNCHRONOUS=NORMAL trades that for speed, knowingly.
    synchronous = os.environ.get("GOROD_SQLITE_SYNCHRONOUS", "FULL").upper()
    if synchronous not in {"FULL", "NORMAL", "EXTRA"}:
        raise ValueError("GOROD_SQLITE_SYNCHRONOUS must be FULL, NORMAL or EXTRA")
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
    DATABASES["default"]["OPTIONS"] = {
        "init_command": f"PRAGMA journal_mode=WAL; PRAGMA synchronous={synchronous}; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Tests run on Django's in-memory database, named so that pytest-xdist's workers keep it
    # (it suffixes every other test database name per worker).
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
# A streaming replica for reads where staleness is harmless (docs/adr/0007-ha-cluster.md): off
# unless DATABASE_REPLICA_URL is set (the reference cluster, ops/cluster/, sets it to HAProxy's
# read port). config/settings.py then routes public pages' reads to it.
GOROD_READ_REPLICA: str | None = None
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = {
        **dj_database_url.parse(
            os.environ["DATABASE_REPLICA_URL"],
            conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
            conn_health_checks=True,
        ),
        "ENGINE": DATABASES["default"]["ENGINE"],
        "OPTIONS": dict(DATABASES["default"].get("OPTIONS", {})),
        "TEST": {"MIRROR": "default"},
    }
    GOROD_READ_REPLICA = "replica"
