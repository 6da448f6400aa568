"""Faults: PostgreSQL restarts (``pg_ctl restart -m fast``) while gunicorn serves concurrent
clients casting ballots, ordering rewards and submitting meter readings, each write with an
Idempotency-Key and retried with the same key on a 503 or a lost connection.

The app must recover by itself (same gunicorn, no 5xx once PostgreSQL is back), answer 503
with ``database_unavailable`` and Retry-After during the outage (never 500), and every answered
write must be in the database exactly once: one ballot, one order, one reading per key, the
first answer replayed to a retry, and the ledger balanced (``points_check``).

The machine's shared PostgreSQL is never touched: the test runs a private cluster of its own
(initdb into a temporary folder, a free port), as the ``postgres`` user when run as root.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import postgres_only
from tests.clock import clocked

ROOT = Path(__file__).resolve().parents[1]
RESIDENTS = 40
POLLS = 3
ORDERS_PER_RESIDENT = 2
CLIENTS = 8
WORKERS = 3
DEADLINE = 90.0  # seconds at most for the clients' work, retries included (~15 s when quiet)

pytestmark = [pytest.mark.postgres_only, postgres_only]


def _pg_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parts[-3]))
    return found[-1].parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Cluster:
    bin: Path
    data: Path
    port: int
    as_postgres: list[str]

    def ctl(self, *args: str, timeout: float = 60) -> None:
        # The server's log goes to a file (-l), and pg_ctl's own output too: a pipe would be
        # inherited by the server it starts and never reach end of file.
        log = self.data.parent / "log"
        with open(self.data.parent / "pg_ctl.out", "ab") as out:
            subprocess.run(
                [*self.as_postgres, str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(log), *args],
                check=True,
                stdout=out,
                stderr=subprocess.STDOUT,
                timeout=timeout,
            )

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    """A private PostgreSQL cluster on a free port, stopped and removed afterwards."""
    pg_bin = _pg_bin()
    if pg_bin is None:
        pytest.skip("PostgreSQL server binaries (/usr/lib/postgresql/*/bin) are not installed")
    as_postgres: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root
        try:
            postgres = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no postgres user to run the private cluster")
        if shutil.which("runuser") is None:
            pytest.skip("running as root without runuser to start the private cluster as postgres")
        as_postgres = ["runuser", "-u", "postgres", "--"]
    top = Path(tempfile.mkdtemp(prefix="gorod-pg-restart-"))
    if as_postgres:
        os.chown(top, postgres.pw_uid, postgres.pw_gid)
    cluster = Cluster(pg_bin, top / "data", _free_port(), as_postgres)
    subprocess.run(
        [
            *as_postgres,
            str(pg_bin / "initdb"),
            "-D",
            str(cluster.data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-sync",
            "--no-instructions",
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    # fsync off (the machine does not crash, only the server does), but synchronous commit on:
    # an immediate shutdown loses WAL not yet written, i.e. writes already answered 201.
    options = (
        f"-p {cluster.port} -c listen_addresses=127.0.0.1 -k {top} -c fsync=off "
        "-c full_page_writes=off -c max_connections=40"
    )
    cluster.ctl("-o", options, "-w", "start")
    try:
        yield cluster
    finally:
        with contextlib.suppress(subprocess.SubprocessError):
            cluster.ctl("-m", "immediate", "-w", "stop")
        shutil.rmtree(top, ignore_errors=True)


def _run(database_url: str, *args: str) -> str:
    env = {**os.environ, "DATABASE_URL": database_url}
    result = subprocess.run(
        clocked(list(args)), cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    return result.stdout


def _start_gunicorn(url: str, port: int, static_root: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "GOROD_BALLOT_DEMO_CUSTODY": "1",  # stand-in trustees: these servers mix and close too
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_STATIC_ROOT": static_root,
        "GOROD_RATE_LIMITS_ENABLED": "0",
        "GOROD_LOG_LEVEL": "ERROR",
        "AXES_ENABLED": "0",
    }
    env.pop("DATABASE_CONN_MAX_AGE", None)  # the production default: persistent connections
    # at the test clock: gunicorn's forked workers keep it
    process = subprocess.Popen(
        clocked(
            [
                "-m",
                "gunicorn",
                "config.wsgi",
                "--workers",
                str(WORKERS),
                "--bind",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
                "--timeout",
                "60",
            ]
        ),
        cwd=ROOT,
        env=env,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/readyz")
            if conn.getresponse().status == 200:
                return process
        except OSError:
            pass
        assert process.poll() is None, "gunicorn exited"
        time.sleep(0.3)
    os.killpg(process.pid, signal.SIGKILL)
    raise AssertionError("gunicorn did not become ready")


@dataclass
class Attempt:
    sent: float
    answered: float
    status: int  # 0: the connection was lost
    code: str
    retry_after: str


@dataclass
class Op:
    kind: str
    resident: int  # index into the city's residents
    method: str
    path: str
    body: bytes
    key: str
    attempts: list[Attempt] = field(default_factory=list)
    final: tuple[int, dict] | None = None


def _ops(city: dict) -> list[Op]:
    ops: list[Op] = []
    for i in range(len(city["tokens"])):
        for poll_id, question, option in city["polls"]:
            body = {"answers": [{"question_id": question, "option_ids": [option]}]}
            ops.append(
                Op("ballot", i, "POST", f"/api/v1/polls/{poll_id}/ballot", json.dumps(body).encode(), "")
            )
        for _ in range(ORDERS_PER_RESIDENT):
            ops.append(
                Op("order", i, "POST", f"/api/v1/rewards/catalogue/{city['reward']}/orders", b"{}", "")
            )
        body = {"values": [f"{10 + i}.250"]}
        ops.append(
            Op(
                "reading",
                i,
                "POST",
                f"/api/v1/home/meters/{city['meters'][i]}/readings",
                json.dumps(body).encode(),
                "",
            )
        )
    # interleave kinds and residents so that every moment has a mix of writes in flight
    ops.sort(key=lambda op: (hash((op.kind, op.resident, op.path)) % 1000, op.path))
    for n, op in enumerate(ops):
        op.key = f"{op.kind}-{n}-{secrets.token_hex(4)}"
    return ops


class Clients:
    """Threads taking operations from one list; each retries its operation with the same key
    until it gets an answer that is not 503/409 or a lost connection."""

    def __init__(self, port: int, city: dict, ops: list[Op]) -> None:
        self.port, self.city, self.ops = port, city, ops
        self.next = 0
        self.done = 0
        self.lock = threading.Lock()
        self.deadline = time.monotonic() + DEADLINE

    def _take(self) -> Op | None:
        with self.lock:
            if self.next >= len(self.ops):
                return None
            op = self.ops[self.next]
            self.next += 1
            return op

    def run(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        while (op := self._take()) is not None:
            headers = {
                "Authorization": f"Bearer {self.city['tokens'][op.resident]}",
                "Content-Type": "application/json",
                "Idempotency-Key": op.key,
            }
            while time.monotonic() < self.deadline:
                sent = time.monotonic()
                try:
                    conn.request(op.method, op.path, body=op.body, headers=headers)
                    response = conn.getresponse()
                    raw = response.read()
                    status, retry_after = response.status, response.getheader("Retry-After") or ""
                except (OSError, http.client.HTTPException):
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
                    op.attempts.append(Attempt(sent, time.monotonic(), 0, "", ""))
                    time.sleep(0.1)
                    continue
                try:
                    payload = json.loads(raw) if raw else {}
                except ValueError:
                    payload = {"raw": raw[:200].decode(errors="replace")}
                code = payload.get("code", "") if isinstance(payload, dict) else ""
                op.attempts.append(Attempt(sent, time.monotonic(), status, code, retry_after))
                if status in (503, 409):
                    time.sleep(0.2)
                    continue
                op.final = (status, payload)
                break
            with self.lock:
                self.done += 1


def test_postgres_restart_under_load_loses_nothing_and_doubles_nothing(cluster):
    started = time.monotonic()
    url = cluster.url("gorod_restart")
    subprocess.run(
        [
            *cluster.as_postgres,
            str(cluster.bin / "createdb"),
            "-h",
            "127.0.0.1",
            "-p",
            str(cluster.port),
            "-U",
            "postgres",
            "gorod_restart",
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    city = json.loads(_run(url, "tests/fault_pg_restart.py", "setup", str(RESIDENTS), str(POLLS)))
    ops = _ops(city)
    port = _free_port()
    with tempfile.TemporaryDirectory() as static_root:
        server = _start_gunicorn(url, port, static_root)
        try:
            clients = Clients(port, city, ops)
            threads = [threading.Thread(target=clients.run, daemon=True) for _ in range(CLIENTS)]
            for thread in threads:
                thread.start()
            # two restarts: a fast shutdown (sessions ended, a checkpoint) and an immediate one
            # (no checkpoint: crash recovery on start)
            outages: list[tuple[float, float]] = []
            for share, mode in ((1 / 4, "fast"), (2 / 3, "immediate")):
                while clients.done < len(ops) * share and time.monotonic() < clients.deadline:
                    time.sleep(0.02)
                began = time.monotonic()
                cluster.ctl("-m", mode, "-w", "restart")
                outages.append((began, time.monotonic()))
            for thread in threads:
                thread.join(timeout=DEADLINE + 20)
            assert server.poll() is None, "gunicorn died"
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    state = json.loads(_run(url, "tests/fault_pg_restart.py", "state"))
    elapsed = time.monotonic() - started

    attempts = [a for op in ops for a in op.attempts]
    statuses = sorted({a.status for a in attempts})
    summary = (
        f"{len(ops)} writes, {len(attempts)} attempts, statuses {statuses}, restarts at "
        + ", ".join(f"{b - started:.1f}s ({e - b:.1f}s)" for b, e in outages)
        + f", test {elapsed:.0f}s"
    )
    print(summary)
    unfinished = [op for op in ops if op.final is None]
    assert not unfinished, f"{len(unfinished)} writes never got an answer; {summary}"

    # The outage was seen (else the test proves nothing) and answered as an outage: 503 with a
    # code and Retry-After; never a 500, never a dropped connection.
    during = [a for a in attempts if a.status == 503]
    assert during, f"no request met a restart; {summary}"
    assert all(a.code == "database_unavailable" and a.retry_after for a in during), during[:5]
    assert all(a.status in (200, 201, 503) for a in attempts), summary
    # Recovered by itself: a request sent after PostgreSQL was back (and answered before the
    # next restart) gets no 5xx at all: the stale persistent connections are noticed by the
    # health check, not shown to a client.
    bounds = [(end, nxt) for (_b, end), (nxt, _e) in zip(outages, [*outages[1:], (float("inf"), 0)])]
    healthy = [a for a in attempts if any(end <= a.sent and a.answered < nxt for end, nxt in bounds)]
    assert healthy and all(a.status < 500 for a in healthy), [a for a in healthy if a.status >= 500][:5]
    assert any(a.sent >= outages[-1][1] and a.status == 201 for a in attempts)

    # Every write got a 2xx (a retry of a write that had happened replays its first answer: a
    # ballot is not refused as already cast) ...
    assert all(op.final is not None and op.final[0] == 201 for op in ops), [
        (op.kind, op.final) for op in ops if op.final and op.final[0] != 201
    ][:5]
    ballots = [op for op in ops if op.kind == "ballot"]
    orders = [op for op in ops if op.kind == "order"]
    readings = [op for op in ops if op.kind == "reading"]
    # ... is in the database, and only once.
    # A retry replays the first answer without the receipt (the idempotency store keeps none:
    # ADR 0003), so the receipts answered are distinct and the ballots counted once.
    receipts = [op.final[1]["receipt_hash"] for op in ballots if op.final and op.final[1]["receipt_hash"]]
    assert len(set(receipts)) == len(receipts)
    assert state["ballots"] == len(ballots)
    assert state["participations"] == len(ballots) == RESIDENTS * POLLS
    assert state["vote_awards"] == len(ballots)
    order_ids = sorted(op.final[1]["id"] for op in orders if op.final)
    assert order_ids == state["orders"] and len(set(order_ids)) == len(orders)
    assert set(state["orders_per_resident"].values()) == {ORDERS_PER_RESIDENT}
    assert set(state["held"].values()) == {ORDERS_PER_RESIDENT * 100}
    reading_rows = sorted([op.final[1]["meter_id"], op.final[1]["period"]] for op in readings if op.final)
    assert sorted(row[0] for row in reading_rows) == sorted(city["meters"])
    assert reading_rows == state["readings"]
    # The ledger adds up, as the operator's command says.
    assert state["points_check"][0] == 0
    assert "ledger check passed" in _run(url, "manage.py", "points_check")
