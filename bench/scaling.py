"""Does a request's cost grow with the city? p50/p95 at 1x and at 10x the data, over HTTP.

Measured from outside: gunicorn (4 sync workers, as docs/deploy/gorod-web.service) on
PostgreSQL with production settings (DEBUG off, persistent connections at the production
default ``DATABASE_CONN_MAX_AGE``, server-side prepared statements from a statement's fifth run
on a connection, the Redis cache as docs/deploy), asked one request at a time by a client in
this process over TCP. Each path first gets ``--warmup`` requests (past psycopg's prepare
threshold and PostgreSQL's five custom plans on every worker's connection: a generic plan that
goes wrong shows here), then ``--repeat`` timed ones.

    statement quiet   /points/ of a resident with three transfers, the oldest of the ledger
    statement busy    /points/ of a resident who gets one transfer in twenty
    map street        GET /api/v1/problems/map?bbox= about 300 x 300 m
    map district      the same, about 6 x 6 km
    map city          the same, the whole city
    list first page   /problems/, the site's report list (20 a page, by keyset, no total)
    list deep page    the same, ?before= a report in the middle of the generated ones
    how               /points/how/ (public)
    results published GET /api/v1/polls/<id>/results of a published poll, signed out
    results live      the same for the open poll with live results, by a resident who voted in it

The data at 1x: ``--transfers`` transfers (1,000,000), ``--reports`` public reports (100,000),
``--ballots`` mixed ballots of the live poll (100,000) and as many residents with wallets (each
ballot has its voter's participation); at 10x (``--factor``) ten times as much: 10 million
transfers, 1 million reports, ballots and residents. Each size is a database of its own
(``NAME_1x`` and ``NAME``), served by its own gunicorn at the same time; each path is timed on
both in alternated rounds, so that the machine's other load falls on both sizes alike (on a
shared machine it moves more between minutes than 10x the data does). The rows are written by
PostgreSQL from template rows the services wrote (bench/_scale_data.py); the ledger stays
balanced, and ``points_check``'s proof is run on both. ``--reuse`` keeps a database that
already holds its rows (made by an earlier run with ``--keep``), migrated to this branch.
Goals (issue 29): p95 at 10x <= 1.5 x p95 at 1x; the map p95 <= 200 ms at 1,000,000 reports.

    .venv/bin/python bench/scaling.py [--transfers 1000000] [--reports 100000] [--ballots 100000]
        [--factor 10] [--repeat 200] [--rounds 4] [--database gorod_scale] [--reuse] [--keep]
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import io
import multiprocessing as mp
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

# set before Django starts here: the sessions made in set-up are signed with it, and gunicorn gets it
# (setdefault: the processes that make the databases are spawned with this one's environment)
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("GOROD_BALLOT_DEMO_CUSTODY", "1")  # stand-in trustees
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("GOROD_RATE_LIMITS_ENABLED", "0")
os.environ.setdefault("GOROD_LOG_LEVEL", "WARNING")
os.environ.setdefault("AXES_ENABLED", "0")
os.environ.setdefault("DJANGO_STATIC_ROOT", tempfile.mkdtemp(prefix="gorod-bench-static-"))
os.environ.setdefault("DJANGO_MEDIA_ROOT", tempfile.mkdtemp(prefix="gorod-bench-media-"))
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("GOROD_CACHE", "redis")
# a Redis database of its own, flushed at start: another run's cached tallies must not answer here
os.environ.setdefault("GOROD_CACHE_LOCATION", "redis://127.0.0.1:6379/13")

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _scale_data as data
from _setup import PG_ADMIN_URL, ROOT, fresh_database, percentile, sign_in

LIVE_TITLE = "Scaling: live results"
VIEWPORTS = {
    "map street": (37.600, 55.750, 37.605, 55.753),
    "map district": (37.55, 55.72, 37.65, 55.775),
    "map city": data.CITY,
}


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def build() -> dict:
    """The demo city, the template rows, the quiet and busy residents, a live poll."""
    from django.core.cache import cache
    from django.core.management import call_command
    from django.utils import timezone

    from gorod.accounts.consent import CONSENT_VERSION
    from gorod.accounts.models import Resident
    from gorod.points.models import LedgerAccount, Transfer
    from gorod.points.services import award
    from gorod.problems import rules as problem_rules
    from gorod.problems.models import Report
    from gorod.voting import mix, services
    from gorod.voting.models import Poll, Question
    from gorod.voting.rules import Answer

    cache.clear()
    call_command("collectstatic", "--noinput", verbosity=0)
    call_command("seed_demo", verbosity=0, stdout=io.StringIO())

    def person(name: str) -> Resident:
        return Resident.objects.create(username=name, level="full", consent_version=CONSENT_VERSION)

    template, quiet, busy = person("template-resident"), person("quiet-resident"), person("busy-resident")
    for n in range(3):
        award(resident=quiet, programme="active_citizen", action="vote", source_key=f"scaling:quiet:{n}")
    for n in range(30):
        award(resident=busy, programme="active_citizen", action="vote", source_key=f"scaling:busy:{n}")
    report = Report.objects.filter(status__in=problem_rules.PUBLIC_STATUSES).order_by("id").first()
    assert report is not None, "the demo city has no public report to copy"
    published = Poll.objects.filter(results__isnull=False).order_by("id").first()
    assert published is not None, "the demo city has no published poll"
    now = timezone.now()
    live = services.poll_create(
        title=LIVE_TITLE,
        opens_at=now - dt.timedelta(minutes=5),
        closes_at=now + dt.timedelta(days=7),
        live_results=True,
        questions=[
            services.QuestionSpec(text="Park", options=["A", "B", "C"]),
            services.QuestionSpec(text="Square", options=["W", "X", "Y", "Z"]),
        ],
    )
    services.poll_open(poll_id=live.pk)
    questions = list(Question.objects.filter(poll=live).prefetch_related("options").order_by("position"))
    for n in range(12):  # the mix's minimum batch is 10
        services.ballot_cast(
            poll_id=live.pk,
            resident=person(f"template-voter{n}"),
            answers=[
                Answer(question_id=q.pk, option_ids=(list(q.options.all())[n % 3].pk,)) for q in questions
            ],
        )
    assert mix.ballots_mix(poll_id=live.pk) == 12
    return {
        "resident": template.pk,
        "quiet": quiet,
        "busy": busy,
        "busy_wallet": LedgerAccount.objects.get(resident=busy).pk,
        "transfer": Transfer.objects.filter(source_key="scaling:busy:0").values_list("id", flat=True).get(),
        "report": report.pk,
        "published": published.pk,
        "live": live.pk,
    }


def grow(ids: dict, level: dict[str, int], done: dict[str, int]) -> float:
    """Add rows until ``level`` (residents = ballots, transfers, reports) is reached."""
    started = time.monotonic()
    more = {k: level[k] - done.get(k, 0) for k in level}
    data.residents(ids["resident"], done.get("ballots", 0), more["ballots"])
    print(f"  residents +{more['ballots']:,} ({time.monotonic() - started:.0f} s)", flush=True)
    data.transfers(ids["transfer"], done.get("transfers", 0), more["transfers"], ids["busy_wallet"])
    print(f"  transfers +{more['transfers']:,} ({time.monotonic() - started:.0f} s)", flush=True)
    data.reports(ids["report"], more["reports"])
    print(f"  reports +{more['reports']:,} ({time.monotonic() - started:.0f} s)", flush=True)
    data.ballots(ids["live"], done.get("ballots", 0), more["ballots"])
    print(f"  ballots +{more['ballots']:,} ({time.monotonic() - started:.0f} s)", flush=True)
    data.analyze()
    done.update(level)
    return time.monotonic() - started


def requests_of() -> dict[str, tuple[str | None, str]]:
    """The requests to time, found in the database (so a kept one can be measured again)."""
    from django.urls import reverse

    from gorod.accounts.models import Resident
    from gorod.problems.models import Report
    from gorod.voting.models import Participation, Poll

    live = Poll.objects.get(title=LIVE_TITLE).pk
    published = Poll.objects.filter(results__isnull=False).order_by("id").values_list("id", flat=True)[0]
    voter = Resident.objects.get(
        pk=Participation.objects.filter(poll_id=live, resident__username__startswith="scale")
        .order_by("resident_id")
        .values_list("resident_id", flat=True)[:1]
    )
    quiet, busy = (Resident.objects.get(username=name) for name in ("quiet-resident", "busy-resident"))
    quiet_session, busy_session, voter_session = sign_in([quiet, busy, voter])
    oldest, newest = (Report.objects.order_by(o).values_list("pk", flat=True)[0] for o in ("pk", "-pk"))
    map_url = reverse("api:public_map")
    return {
        "statement quiet": (quiet_session, reverse("points:mine")),
        "statement busy": (busy_session, reverse("points:mine")),
        **{
            name: (None, f"{map_url}?bbox={','.join(str(v) for v in box)}") for name, box in VIEWPORTS.items()
        },
        "list first page": (None, reverse("problems:map")),
        "list deep page": (None, f"{reverse('problems:map')}?before={(oldest + newest) // 2}"),
        "how": (None, reverse("points:how")),
        "results published": (None, f"/api/v1/polls/{published}/results"),
        "results live": (voter_session, f"/api/v1/polls/{live}/results"),
    }


def serve(url: str, port: int) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings"}
    env.pop("DATABASE_CONN_MAX_AGE", None)  # the production default
    command = [str(Path(sys.executable).parent / "gunicorn"), "config.wsgi", "--workers", "4"]
    command += ["--bind", f"127.0.0.1:{port}", "--log-level", "warning"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    for _ in range(240):
        try:
            if get(port, "/healthz", None)[0] == 200:  # /readyz also wants the task queue drained
                return process
        except OSError:
            pass
        time.sleep(0.5)
    os.killpg(process.pid, signal.SIGTERM)
    raise SystemExit("gunicorn did not start")


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=60)


def get(port: int, path: str, session: str | None) -> tuple[int, int]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        headers = {"Host": "localhost", "Accept-Language": "ru"}
        if session is not None:
            headers["Cookie"] = f"sessionid={session}"
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return response.status, len(response.read())
    finally:
        conn.close()


def timed(port: int, path: str, session: str | None) -> float:
    t0 = time.perf_counter()
    status, _size = get(port, path, session)
    took = time.perf_counter() - t0
    assert status == 200, (port, path, status)
    return took


def measure(ports: dict[str, int], requests: dict[str, dict], warmup: int, repeat: int, rounds: int) -> dict:
    """Per path: the warm-up on each server, then ``rounds`` rounds of ``repeat // rounds``
    requests to each, the order of the two flipping every round, so that both sizes see the
    same load from the rest of the machine."""
    samples: dict[str, dict[str, list[float]]] = {label: {} for label in ports}
    for name in requests[next(iter(ports))]:
        for label, port in ports.items():
            session, path = requests[label][name]
            for _ in range(warmup):
                timed(port, path, session)
        for r in range(rounds):
            for label in list(ports)[:: 1 if r % 2 == 0 else -1]:
                session, path = requests[label][name]
                samples[label].setdefault(name, []).extend(
                    timed(ports[label], path, session) for _ in range(repeat // rounds)
                )
        figures = {label: summary(samples[label][name]) for label in ports}
        print(
            f"  {name:<20}"
            + "  ".join(f"{label}: p50 {f[0]:6.1f} p95 {f[1]:6.1f}" for label, f in figures.items()),
            flush=True,
        )
    return {
        label: {name: summary(times) for name, times in by_name.items()} for label, by_name in samples.items()
    }


def summary(times: list[float]) -> tuple[float, float, float]:
    return percentile(times, 50) * 1000, percentile(times, 95) * 1000, max(times) * 1000


def ledger_check() -> str:
    from gorod.points.checks import ledger_mismatches

    started = time.monotonic()
    mismatches, total = ledger_mismatches()
    took = time.monotonic() - started
    if mismatches or total:
        return f"FAILED: {len(mismatches)} account(s) differ, sum {total} ({took:.0f} s)"
    return f"balanced: every balance equals its transfers, sum 0 ({took:.0f} s)"


def prepare(database: str, level: dict[str, int], reuse: bool, out: Any) -> None:
    """In a process of its own (Django is set up once per process, for one database): the
    database at ``level``, made or (``reuse``) kept when it already holds that much; the
    requests to time with fresh sessions, and the ledger's check."""
    from _setup import database_url, django_setup

    url = database_url("postgres", database)
    kept = False
    if reuse:
        import psycopg

        try:
            with psycopg.connect(url.replace("postgres://", "postgresql://")) as conn:
                row = conn.execute(
                    "SELECT count(*) FROM points_transfer WHERE source_key LIKE 'scale:%%'"
                ).fetchone()
                kept = row is not None and row[0] == level["transfers"]
        except psycopg.Error:
            kept = False
    if kept:
        django_setup(url)
        from django.core.management import call_command

        call_command("migrate", verbosity=0)  # the branch's migrations, on kept data
        call_command("collectstatic", "--noinput", verbosity=0)
        print(f"{database}: kept ({level['transfers']:,} transfers)", flush=True)
    else:
        fresh_database("postgres", database)
        ids = build()
        took = grow(ids, level, {})
        print(f"{database}: made in {took:.0f} s", flush=True)
    check = ledger_check()
    print(f"{database}: ledger {check}", flush=True)
    out.put((url, requests_of(), check))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transfers", type=int, default=1_000_000, help="transfers at 1x")
    parser.add_argument("--reports", type=int, default=100_000, help="public reports at 1x")
    parser.add_argument("--ballots", type=int, default=100_000, help="ballots (and residents) at 1x")
    parser.add_argument("--factor", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=80, help="untimed requests per path and server")
    parser.add_argument("--repeat", type=int, default=200, help="timed requests per path and server")
    parser.add_argument("--rounds", type=int, default=4, help="alternations of the two servers per path")
    parser.add_argument("--port", type=int, default=8790, help="the 1x server's; the other's is the next")
    parser.add_argument("--database", default="gorod_scale", help="the large one; the 1x one is NAME_1x")
    parser.add_argument("--reuse", action="store_true", help="keep a database that already holds its data")
    parser.add_argument("--keep", action="store_true", help="keep the databases (dropped otherwise)")
    args = parser.parse_args()
    print(f"load average at start: {loadavg()}", flush=True)
    one = {"transfers": args.transfers, "reports": args.reports, "ballots": args.ballots}
    big = f"{args.factor}x"
    sizes = {
        "1x": (f"{args.database}_1x", one),
        big: (args.database, {k: v * args.factor for k, v in one.items()}),
    }
    ctx = mp.get_context("spawn")
    prepared = {}
    for n, (label, (database, level)) in enumerate(sizes.items()):
        out = ctx.Queue()
        # each its own Redis database: the same poll ids hold other tallies in the other
        os.environ["GOROD_CACHE_LOCATION"] = f"redis://127.0.0.1:6379/{13 + n}"
        child = ctx.Process(target=prepare, args=(database, level, args.reuse, out))
        child.start()
        url, requests, check = out.get()
        child.join()
        prepared[label] = (url, requests, check, os.environ["GOROD_CACHE_LOCATION"])
    ports = {label: args.port + n for n, label in enumerate(sizes)}
    servers = {}
    try:
        for label, (url, _requests, _check, redis) in prepared.items():
            os.environ["GOROD_CACHE_LOCATION"] = redis
            servers[label] = serve(url, ports[label])
        print(f"measuring: load average {loadavg()}", flush=True)
        results = measure(
            ports, {k: v[1] for k, v in prepared.items()}, args.warmup, args.repeat, args.rounds
        )
        print(f"measured: load average {loadavg()}", flush=True)
    finally:
        for server in servers.values():
            stop(server)
    if not args.keep:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL.replace("postgres://", "postgresql://"), autocommit=True) as conn:
            for database, _level in sizes.values():
                conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    checks = "; ".join(f"{label}: {v[2]}" for label, v in prepared.items())
    print(f"\nload average at end: {loadavg()}; ledger {checks}")
    print(
        f"1x = {args.transfers:,} transfers, {args.reports:,} reports, {args.ballots:,} ballots and residents;"
        f" {big} = {args.factor} times as many, in a database of its own, served beside the 1x one and"
        f" alternated with it; {args.repeat} requests each after {args.warmup} untimed, one at a time"
        " over HTTP; ms"
    )
    print(
        f"{'request':<20}{'1x p50':>8}{'1x p95':>8}{big + ' p50':>9}{big + ' p95':>9}{big + ' max':>9}{'p95 x':>7}  goal"
    )
    failed = any("FAILED" in v[2] for v in prepared.values())
    for name in results["1x"]:
        (p50a, p95a, _), (p50b, p95b, maxb) = results["1x"][name], results[big][name]
        grew = p95b / p95a
        ok = grew <= 1.5 and (not name.startswith("map") or p95b <= 200)
        failed |= not ok
        print(
            f"{name:<20}{p50a:8.1f}{p95a:8.1f}{p50b:9.1f}{p95b:9.1f}{maxb:9.1f}{grew:7.2f}  {'ok' if ok else 'MISSED'}"
        )
    print(f"p95 x = p95 at {big} / p95 at 1x; goal <= 1.5, and the map <= 200 ms at {big}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
