"""Where a ballot's time goes: CPU per request in the application and in its PostgreSQL backend,
for gorod's ballot and the bare baseline's one-insert view, each driven in process through its
WSGI application (no HTTP, no gunicorn, no load generator: those cost both sides the same).

``bench/wrk_compare.py`` gives the ratio a user sees; this says what the difference is made of.
Each side runs in its own process (their settings differ), ``--requests`` requests after 50
untimed ones, one connection; the backend's CPU is read from /proc for its pid (PostgreSQL on
this machine). Variants of gorod's side:

    ballot           POST /api/v1/polls/<open poll>/ballot, a new resident each (bearer token)
    ballot, no award the same poll with its reward switched off: what the points cost
    its work alone   the same ballots without HTTP, Django's handler, middleware or ninja: the
                     token's lookup (``accounts.selectors.live_token``) and
                     ``voting.services.ballot_cast``, called directly; what the request's
                     database work and checks cost, the floor under any web stack
    token lookup     the lookup alone (part of the row above)

The bare insert's request is Django and ninja around one ORM insert, so "whole request minus
work alone" for the ballot, against the bare row, says how much gorod's own stack adds.

    .venv/bin/python bench/request_cost.py [--requests 2000]

Uses the databases ``bench_cost_gorod`` and ``bench_cost_bare`` (dropped and created).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import PG_ADMIN_URL, ROOT, database_url, production_env

BASELINE = ROOT / "bench" / "baseline"


def _environ(method: str, path: str, body: bytes, token: str = "") -> dict:
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "HTTP_HOST": "127.0.0.1",
        "REMOTE_ADDR": "127.0.0.1",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
    }
    if token:
        environ["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return environ


def _backend_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _measure(application, requests: list[dict], warm: int = 50) -> tuple[float, float, set[str]]:
    """(application CPU ms, backend CPU ms) per request over all but the first ``warm``."""
    from django.db import connection

    statuses: set[str] = set()

    def start_response(status, headers, exc_info=None):
        statuses.add(status)

    def call(environ: dict) -> None:
        body = application(environ, start_response)
        b"".join(body)
        body.close()

    for environ in requests[:warm]:
        call(environ)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    statuses.clear()
    timed = requests[warm:]
    backend, started = _backend_cpu(pid), time.process_time()
    for environ in timed:
        call(environ)
    cpu = (time.process_time() - started) / len(timed) * 1000
    return cpu, (_backend_cpu(pid) - backend) / len(timed) * 1000, statuses


def bare_side(requests: int) -> None:
    """Run in its own process: the baseline's settings."""
    sys.path.insert(0, str(BASELINE))
    os.environ["DJANGO_SETTINGS_MODULE"] = "bare.settings"
    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler

    body = json.dumps({"payload": "one row of the bare baseline"}).encode()
    cpu, backend, statuses = _measure(
        WSGIHandler(), [_environ("POST", "/insert", body) for _ in range(requests + 50)]
    )
    print(json.dumps({"cpu": cpu, "backend": backend, "statuses": sorted(statuses)}))


def gorod_side(requests: int, award: bool) -> None:
    import wrk_compare
    from _setup import fresh_database

    fresh_database("postgres", "bench_cost_gorod")
    data = wrk_compare.prepare_gorod(requests + 100)
    from django.db import connections

    from gorod.voting.models import Poll

    if not award:
        Poll.objects.filter(pk=data["open"]).update(reward_action="")
    connections.close_all()
    from config.handlers import Application

    (q1, o1), (q2, o2) = data["shape"]
    body = json.dumps(
        {"answers": [{"question_id": q1, "option_ids": [o1[0]]}, {"question_id": q2, "option_ids": [o2[0]]}]}
    ).encode()
    path = f"/api/v1/polls/{data['open']}/ballot"
    asked = [_environ("POST", path, body, token) for token in data["tokens"][: requests + 50]]
    cpu, backend, statuses = _measure(Application(), asked)
    print(json.dumps({"cpu": cpu, "backend": backend, "statuses": sorted(statuses)}))


def work_side(requests: int) -> None:
    """The ballot's work without the web stack: for each resident, the token's lookup and
    ``ballot_cast``, as the API's handler calls them; then, for fresh residents, the lookup alone."""
    import wrk_compare
    from _setup import fresh_database

    fresh_database("postgres", "bench_cost_gorod")
    data = wrk_compare.prepare_gorod(2 * requests + 150)
    from django.db import connection, connections

    from gorod.accounts import selectors
    from gorod.voting import rules, services

    connections.close_all()
    (q1, o1), (q2, o2) = data["shape"]
    answers = [
        rules.Answer(question_id=q1, option_ids=(o1[0],)),
        rules.Answer(question_id=q2, option_ids=(o2[0],)),
    ]
    tokens = data["tokens"]

    def ballot(plain: str) -> None:
        token = selectors.live_token(plain)
        assert token is not None
        services.ballot_cast(poll_id=data["open"], resident=token.resident, answers=answers)

    for plain in tokens[:50]:
        ballot(plain)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    for label, step, chunk in (
        ("its work alone", ballot, tokens[50 : 50 + requests]),
        ("token lookup", selectors.live_token, tokens[50 + requests : 50 + 2 * requests]),
    ):
        backend, started = _backend_cpu(pid), time.process_time()
        for plain in chunk:
            step(plain)
        cpu = (time.process_time() - started) / len(chunk) * 1000
        spent = (_backend_cpu(pid) - backend) / len(chunk) * 1000
        print(json.dumps({"label": label, "cpu": cpu, "backend": spent, "statuses": ["called"]}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument(
        "--side", choices=["bare", "ballot", "ballot-no-award", "work"], help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.side == "bare":
        return bare_side(args.requests)
    if args.side == "work":
        return work_side(args.requests)
    if args.side:
        return gorod_side(args.requests, award=args.side == "ballot")
    import psycopg

    with psycopg.connect(PG_ADMIN_URL.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        conn.execute('DROP DATABASE IF EXISTS "bench_cost_bare" WITH (FORCE)')
        conn.execute('CREATE DATABASE "bench_cost_bare"')
    bare_env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GOROD_"))}
    bare_env["DATABASE_URL"] = database_url("postgres", "bench_cost_bare")
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v", "0"], cwd=BASELINE, env=bare_env, check=True
    )
    gorod_env = production_env(
        GOROD_BALLOT_DEMO_CUSTODY="1",
        DJANGO_MEDIA_ROOT=tempfile.mkdtemp(prefix="bench-cost-media-"),
        DJANGO_STATIC_ROOT=tempfile.mkdtemp(prefix="bench-cost-static-"),
    )
    print(f"load average at start: {os.getloadavg()}")
    print(f"{'request':<22}{'app CPU ms':>11}{'PostgreSQL CPU ms':>19}{'sum':>7}  statuses")
    rows = [
        ("bare insert", "bare", bare_env, BASELINE),
        ("ballot", "ballot", gorod_env, ROOT),
        ("ballot, no award", "ballot-no-award", gorod_env, ROOT),
        ("its work alone", "work", gorod_env, ROOT),
    ]
    for label, side, env, cwd in rows:
        out = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--side", side, "--requests", str(args.requests)],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for line in out.strip().splitlines()[-2 if side == "work" else -1 :]:
            found = json.loads(line)
            print(
                f"{found.get('label', label):<22}{found['cpu']:11.3f}{found['backend']:19.3f}"
                f"{found['cpu'] + found['backend']:7.3f}  {', '.join(found['statuses'])}"
            )
    print(f"load average at end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
