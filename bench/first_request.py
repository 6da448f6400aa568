"""A fresh gunicorn worker's first requests, with and without the warm-up (config/warmup.py).

Starts one gunicorn worker with production settings on a seeded SQLite city (or PostgreSQL with
``--postgres NAME``: then the first request also opens the worker's database connection, as in
production), times the first request of each of a few pages, then the same pages again once
warm; alternates rounds with GOROD_WARM_UP=0 and =1 and prints the median first-request time
per page and the ratio.

    .venv/bin/python bench/first_request.py --rounds 5 [--postgres gorod_first]
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# All but the last two are in the warm-up's default GOROD_WARM_UP_PATHS (answered by the worker
# itself before it takes traffic); the decisions' statistics page and their GeoJSON are not: they show
# what the rest of the warm-up (the connection, code, catalogues and templates) leaves for a
# page nobody asked for yet.
PAGES = [
    "/",
    "/points/how/",
    "/api/v1/polls",
    "/accounts/sign-in/",
    "/rewards/",
    "/problems/",
    "/voting/decisions/statistics/",
    "/api/v1/decisions",
]
PORT = 18731


def run(cmd: list[str], env: dict[str, str]) -> None:
    subprocess.run(cmd, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def fetch(path: str) -> float:
    request = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}", headers={"X-Forwarded-Proto": "https"})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()
    return time.perf_counter() - started


def one_round(env: dict[str, str], warm: bool) -> tuple[list[float], list[float]]:
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    # Ready when the worker has loaded the application (gunicorn's post_worker_init hook): the
    # master accepts on the port earlier, and a request then would wait for the worker's boot.
    flag = Path(tempfile.mkdtemp()) / "ready"
    hook = flag.with_name("hooks.py")
    hook.write_text(f"def post_worker_init(worker):\n    open({str(flag)!r}, 'w').close()\n")
    server = subprocess.Popen(
        [gunicorn, "config.wsgi", "--workers", "1", "--bind", f"127.0.0.1:{PORT}", "--config", str(hook)],
        cwd=ROOT,
        env={**env, "GOROD_WARM_UP": "1" if warm else "0"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while not flag.exists():  # not an HTTP probe: it would itself warm the worker
            if time.monotonic() > deadline:
                raise RuntimeError("the worker did not boot")
            time.sleep(0.05)
        first = [fetch(page) for page in PAGES]
        for _ in range(20):
            for page in PAGES:
                fetch(page)
        later = [fetch(page) for page in PAGES]
        return first, later
    finally:
        server.terminate()
        server.wait()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--postgres",
        metavar="NAME",
        default="",
        help="run on this PostgreSQL database (dropped and created; BENCH_PG_URL's server) instead of SQLite",
    )
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="gorod-first-request-"))
    database = f"sqlite:///{folder / 'city.sqlite3'}"
    if args.postgres:
        import psycopg

        admin = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
        with psycopg.connect(admin.replace("postgres://", "postgresql://"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{args.postgres}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{args.postgres}"')
        database = f"{admin.rsplit('/', 1)[0]}/{args.postgres}"
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_STATIC_ROOT": str(folder / "static"),
        "GOROD_RATE_LIMITS_ENABLED": "0",
        "GOROD_LOG_FORMAT": "text",
        # production settings refuse to start without a ballot key; the demo's stand-in trustees
        # (ADR 0003) are enough to time a worker's first request
        "GOROD_BALLOT_DEMO_CUSTODY": "1",
    }
    python = sys.executable
    run([python, "manage.py", "migrate", "--noinput", "-v0"], env)
    run([python, "manage.py", "seed_demo"], {**env, "DJANGO_DEBUG": "1"})
    run([python, "manage.py", "collectstatic", "--noinput", "-v0"], env)
    results: dict[bool, list[tuple[list[float], list[float]]]] = {False: [], True: []}
    for n in range(args.rounds):
        for warm in (False, True):
            results[warm].append(one_round(env, warm))
        print(f"round {n + 1}/{args.rounds} done", flush=True)
    print(
        f"{'page':24} {'cold first ms':>14} {'warm-up first ms':>17} {'ratio':>6} {'steady ms':>10} {'first/steady':>13}"
    )
    for i, page in enumerate(PAGES):
        cold = statistics.median(r[0][i] for r in results[False]) * 1000
        warm = statistics.median(r[0][i] for r in results[True]) * 1000
        steady = statistics.median(r[1][i] for r in results[True]) * 1000
        print(f"{page:24} {cold:14.1f} {warm:17.1f} {cold / warm:6.1f} {steady:10.1f} {warm / steady:13.2f}")
    print(f"load average over the run: {os.getloadavg()}")


if __name__ == "__main__":
    main()
