"""Load scenario: mixed traffic against gunicorn on PostgreSQL, then the ledger check.

Sets up a fresh database (``gorod_ops_load``, or BENCH_LOAD_DB, on the PostgreSQL server of
BENCH_PG_URL, by default postgres://postgres@127.0.0.1:5432/postgres) with the demo city plus load residents (each with an API token, a flat, a water
meter and some points), open polls, and rewards in stock; starts gunicorn with production
settings; then drives an open-loop load (each action at its own rate, Poisson arrivals, latency
measured from the scheduled time so a slow server cannot hide its queue) over up to 64
connections in flight, kept alive while the server allows, driven from one thread with
non-blocking sockets and requests written as bytes (bench/_openloop.py; 64 threads on
http.client took about twice its CPU per request from the two cores the server also runs on).
The first 15 s (``--warmup``) are the same traffic, sent but not recorded: the four workers
boot and load their code then, on the two cores the load shares, and queue several seconds of
arrivals that say nothing of the steady state (``--warmup 0`` measures them too; whatever they
leave queued still weighs on the measured part). Every write carries an Idempotency-Key, as
real clients do:

    votes (API)          170/s   POST /api/v1/polls/{id}/ballot
    pages (site + API)    54/s   GET /, /voting/, /rewards/, /api/v1/polls, /api/v1/rewards/catalogue
                                 signed in: one of 1,000 residents, each signed in once in setup
                                 (a session made through Django's session engine; site pages
                                 send its cookie, API reads the resident's bearer token)
    pages signed out       6/s   the same five, as a visitor who is not signed in ("page-out")
    meter readings (API)  10/s   POST /api/v1/home/meters/{id}/readings
    reward orders (API)    4/s   POST /api/v1/rewards/catalogue/{id}/orders
    problem reports (API)  2/s   POST /api/v1/problems/reports

It prints the throughput, p50/p95/p99 per action, the statuses and the error count (5xx, lost
connections, unexpected refusals), p50/p99 per 10-second slice (``--slices``) with each stall
(a slice whose p99 passes 500 ms) and how long it took to recover, then runs ``manage.py points_check`` on the database; it
exits non-zero when there were errors, a stall had not recovered by the end, or the ledger
check fails.

    .venv/bin/python bench/load.py [--duration 60] [--warmup 15] [--scale 1.0] [--workers 4] [--threads 64]

The 5-minute run of the issue (on a quiet machine; PostgreSQL on 127.0.0.1:5432):

    .venv/bin/python bench/load.py --duration 300

A quick check that the scenario works end to end: ``--duration 30 --scale 0.3``. ``--scale``
multiplies every rate.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import io
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _openloop
from _setup import ROOT, fresh_database, percentile, sign_in

RUN = secrets.token_hex(4)
# Pages are read by residents who are signed in (a session cookie for site pages, the app's
# token for API reads), but for a tenth read signed out (a visitor, a search engine): those are
# counted apart as "page-out", since a short public cache (gorod.core.cache.public_cache) serves them.
RATES = {"vote": 170.0, "page": 54.0, "page-out": 6.0, "reading": 10.0, "order": 4.0, "report": 2.0}
PAGES = ["/", "/voting/", "/rewards/", "/api/v1/polls", "/api/v1/rewards/catalogue"]
# residents with a session, each signed in once during setup; page reads spread over them
SIGNED_IN = 1000


@dataclass
class City:
    tokens: list[str]
    sessions: list[str]  # session keys of the first SIGNED_IN residents (same order as tokens)
    polls: list[tuple[int, int, int]]  # poll id, question id, option id
    meters: dict[int, int]  # token index -> meter id
    rewards: list[int]
    topic: str
    point: tuple[str, str]


def build_city(residents: int, polls: int) -> City:
    from django.core.management import call_command
    from django.utils import timezone

    from gorod.accounts.consent import CONSENT_VERSION
    from gorod.accounts.models import ApiToken, District, Resident
    from gorod.accounts.rules import TOKEN_PREFIX, token_digest
    from gorod.core.time import city_today
    from gorod.housing.models import Building, LinkStatus, Meter, Premise, PremiseLink, Reading, ReadingWindow
    from gorod.points.services_bulk import AwardRequest, award_many
    from gorod.points.services_rules import earning_rule_define
    from gorod.problems.models import Topic
    from gorod.voting import selectors as voting_selectors
    from gorod.voting import services as voting
    from gorod.voting.services import QuestionSpec

    call_command("seed_demo", verbosity=0, stdout=io.StringIO())
    district = District.objects.order_by("pk").first()
    assert district is not None
    Resident.objects.bulk_create(
        [
            Resident(
                username=f"load{n}",
                email=f"load{n}@load.test",
                level="full",
                home_district=district,
                consent_version=CONSENT_VERSION,  # agreed at sign-up, so pages are not redirected
            )
            for n in range(residents)
        ],
        batch_size=2000,
    )
    people = list(
        Resident.objects.filter(username__startswith="load", email__endswith="@load.test").order_by("pk")
    )
    tokens = [TOKEN_PREFIX + secrets.token_urlsafe(24) for _ in people]
    ApiToken.objects.bulk_create(
        [
            ApiToken(resident=p, name="load", prefix=t[:8], digest=token_digest(t))
            for p, t in zip(people, tokens, strict=True)
        ],
        batch_size=2000,
    )
    building = Building.objects.create(address="1 Load St", district=district)
    Premise.objects.bulk_create(
        [Premise(building=building, number=str(n + 1), area=Decimal("50.00")) for n in range(residents)],
        batch_size=2000,
    )
    flats = list(Premise.objects.filter(building=building).order_by("pk"))
    PremiseLink.objects.bulk_create(
        [
            PremiseLink(resident=p, premise=f, role="owner", status=LinkStatus.CONFIRMED)
            for p, f in zip(people, flats, strict=True)
        ],
        batch_size=2000,
    )
    Meter.objects.bulk_create(
        [
            Meter(
                building=building,
                premise=f,
                resource="cold_water",
                serial=f"load-{n}",
                verification_due=dt.date(2032, 1, 1),
                installed_on=dt.date(2020, 1, 1),
            )
            for n, f in enumerate(flats)
        ],
        batch_size=2000,
    )
    meter_of = dict(Meter.objects.filter(building=building).values_list("premise_id", "pk"))
    meters = {i: meter_of[f.pk] for i, f in enumerate(flats)}
    # Readings are taken whatever day the run falls on: a cold water window from the 2nd to the 1st
    # is open every day (Moscow's 15th-3rd refuses every reading on the 4th-14th).
    ReadingWindow.objects.update_or_create(resource="cold_water", defaults={"start_day": 2, "end_day": 1})
    previous = (city_today().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    Reading.objects.bulk_create(
        [
            Reading(meter_id=m, period=previous, value_1=Decimal("5.000"), consumption=Decimal("5.000"))
            for m in meters.values()
        ],
        batch_size=2000,
    )
    earning_rule_define(programme="mission_city", action="load_grant", name="Load test grant")
    for start in range(0, len(people), 1000):
        award_many(
            programme="mission_city",
            action="load_grant",
            requests=[
                AwardRequest(resident_id=p.pk, level=p.level, source_key=f"load:{p.pk}", amount=5000)
                for p in people[start : start + 1000]
            ],
        )
    now = timezone.now()
    poll_rows = []
    for n in range(polls):
        poll = voting.poll_create(
            title=f"Load poll {n}",
            opens_at=now - dt.timedelta(hours=1),
            closes_at=now + dt.timedelta(days=7),
            questions=[QuestionSpec(text="Which option?", options=["One", "Two", "Three"])],
        )
        voting.poll_open(poll_id=poll.pk)
        shape = voting_selectors.question_shapes(poll)[0]
        poll_rows.append((poll.pk, shape.id, sorted(shape.option_ids)[n % 3]))
    from gorod.accounts.models import Address
    from gorod.problems.models import TopicGroup
    from gorod.rewards.tests.factories import make_partner, make_point, make_reward

    partner = make_partner("Load café")
    point = make_point(partner)
    rewards = [
        make_reward(partner, price=100, stock=1_000_000, points=[(point, 0)], title=f"Load mug {n}").pk
        for n in range(3)
    ]
    group, _ = TopicGroup.objects.get_or_create(code="load", defaults={"name": "Load"})
    topic, _ = Topic.objects.get_or_create(
        code="load-pothole", defaults={"group": group, "name": "Pothole", "photo_required": False}
    )
    address = Address.objects.order_by("pk").first()
    assert address is not None
    return City(
        tokens,
        sign_in(people[:SIGNED_IN]),
        poll_rows,
        meters,
        rewards,
        topic.code,
        (str(address.latitude), str(address.longitude)),
    )


# set before Django starts in this process: the sessions made in setup are signed with it
os.environ["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(50)
os.environ.setdefault("GOROD_BALLOT_DEMO_CUSTODY", "1")  # stand-in trustees


def start_gunicorn(url: str, workers: int, port: int, static_root: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_STATIC_ROOT": static_root,
        "GOROD_RATE_LIMITS_ENABLED": "0",
        "GOROD_LOG_LEVEL": "WARNING",
        "AXES_ENABLED": "0",
        "DATABASE_CONN_MAX_AGE": "600",
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    process = subprocess.Popen(
        [
            gunicorn,
            "config.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    for _ in range(120):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/readyz")
            if conn.getresponse().status == 200:
                return process
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError("gunicorn did not become ready")


@dataclass
class CpuSample:
    """Cumulative CPU ticks from /proc (Linux): the machine's, and the server's processes'."""

    total: int
    idle: int
    gunicorn: int
    postgres: int


def cpu_sample(server_group: int) -> CpuSample | None:
    try:
        fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except OSError:
        return None
    gunicorn = postgres = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes()
        except OSError:  # the process ended meanwhile
            continue
        after = stat[stat.rfind(")") + 2 :].split()
        ticks = int(after[11]) + int(after[12])  # utime + stime
        if int(after[2]) == server_group:  # gunicorn runs in a session (process group) of its own
            gunicorn += ticks
        elif command.startswith(b"postgres"):
            postgres += ticks
    return CpuSample(sum(fields), fields[3] + fields[4], gunicorn, postgres)


def cpu_report(first: CpuSample | None, last: CpuSample | None) -> str:
    """How busy the machine was over the measured part: the margin a slower machine lacks."""
    if first is None or last is None or last.total <= first.total:
        return "machine CPU: not measured (no /proc)"
    total = last.total - first.total
    cores = os.cpu_count() or 1

    def share(ticks: int) -> str:
        return f"{ticks / total * cores * 100:.0f}%"

    return (
        f"machine CPU over the measured part: {(1 - (last.idle - first.idle) / total) * 100:.0f}% busy "
        f"of {cores} cores (gunicorn {share(last.gunicorn - first.gunicorn)}, "
        f"PostgreSQL {share(last.postgres - first.postgres)} of one core)"
    )


def checkpoint_later(url: str, delay: float) -> threading.Thread:
    """A CHECKPOINT ``delay`` seconds from now, from a thread of its own."""

    def run() -> None:
        import psycopg

        time.sleep(delay)
        with psycopg.connect(url.replace("postgres://", "postgresql://"), autocommit=True) as conn:
            started = time.perf_counter()
            conn.execute("CHECKPOINT")
        print(
            f"CHECKPOINT forced at {delay:.0f}s (warm-up included), took {time.perf_counter() - started:.1f}s"
        )

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def check_signed_in(port: int, session: str) -> None:
    """A page with a setup session must be a signed-in page (a stale or unsigned session would
    quietly measure signed-out pages instead)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", "/", headers={"Cookie": f"sessionid={session}"})
    page = conn.getresponse().read().decode()
    if 'action="/accounts/sign-out/"' not in page:
        raise RuntimeError("the setup session does not sign the resident in")


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, dict[int, int]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    scheduled: list[tuple[float, float]] = field(default_factory=list)  # (scheduled at, latency)

    def record(self, action: str, latency: float, status: int) -> None:
        self.latencies[action].append(latency)
        self.statuses[action][status] += 1
        if latency == latency:
            self.scheduled.append((time.perf_counter() - latency, latency))


P99_GOAL = 0.5  # seconds: every action's p99 goal; a slice above it is a stall


def timeline(stats: Stats, seconds: float) -> bool:
    """p50/p99 of all requests by the time they were scheduled, in slices: a steady state
    tells apart from a transient (boot, a checkpoint, autovacuum, another process taking the
    cores). Then how long each stall lasted: from the first slice whose p99 passed the goal to
    the first one back under it, or that it had not recovered when the run ended (latency is
    measured from the schedule, so a queue that keeps growing shows in every later slice).
    False when the last stall had not recovered by the end."""
    if not stats.scheduled:
        return True
    start = min(at for at, _ in stats.scheduled)
    slices: dict[int, list[float]] = defaultdict(list)
    for at, latency in stats.scheduled:
        slices[int((at - start) // seconds)].append(latency)
    print(f"per slice of {seconds:g} s, by scheduled time:")
    p99s = []
    for n, values in sorted(slices.items()):
        p99 = percentile(values, 99)
        p99s.append((n * seconds, p99))
        print(
            f"  {n * seconds:5.0f}s+ {len(values):6} requests  p50 {percentile(values, 50) * 1000:7.1f} ms"
            f"  p99 {p99 * 1000:7.1f} ms  max {max(values) * 1000:7.1f} ms{'  STALL' if p99 > P99_GOAL else ''}"
        )
    summary = stall_summary(p99s, seconds)
    print(summary)
    return "NOT recovered" not in summary


def stall_summary(p99s: list[tuple[float, float]], seconds: float) -> str:
    """One line on the stalls in (slice start, p99) pairs: none, each one's recovery time, or
    not recovered by the end."""
    stalls: list[str] = []
    began: float | None = None
    for at, p99 in p99s:
        if p99 > P99_GOAL and began is None:
            began = at
        elif p99 <= P99_GOAL and began is not None:
            stalls.append(f"from {began:.0f}s, recovered in {at - began:.0f}s")
            began = None
    if began is not None:
        stalls.append(f"from {began:.0f}s, NOT recovered by the end ({p99s[-1][0] + seconds - began:.0f}s)")
    if not stalls:
        return f"stalls: none (every slice's p99 under {P99_GOAL * 1000:.0f} ms)"
    return f"stalls (slice p99 over {P99_GOAL * 1000:.0f} ms): " + "; ".join(stalls)


class Scenario:
    """Hands out the next request of each action, as the bytes to send: every ballot is for a
    (resident, poll) pair not used before, readings cycle meters, orders and reports come from
    residents with points, signed-in pages from a random signed-in resident (site pages with
    the session cookie, API reads with the token)."""

    def __init__(self, city: City, port: int) -> None:
        self.city = city
        self.host = f"127.0.0.1:{port}"
        self.vote_cursor = 0
        self.counter = 0
        self.pages = [f"GET {path} HTTP/1.1\r\nHost: {self.host}\r\n\r\n".encode() for path in PAGES]

    def _page(self, rnd: random.Random) -> bytes:
        path = rnd.choice(PAGES)
        resident = rnd.randrange(len(self.city.sessions))
        if path.startswith("/api/"):
            credential = f"Authorization: Bearer {self.city.tokens[resident]}"
        else:
            credential = f"Cookie: sessionid={self.city.sessions[resident]}"
        return f"GET {path} HTTP/1.1\r\nHost: {self.host}\r\n{credential}\r\n\r\n".encode()

    def request(self, action: str) -> bytes:
        city = self.city
        self.counter += 1
        n = self.counter
        rnd = random.Random(n)
        if action == "page":
            return self._page(rnd)
        if action == "page-out":
            return rnd.choice(self.pages)
        if action == "vote":
            k = self.vote_cursor
            self.vote_cursor += 1
            resident, poll = k % len(city.tokens), (k // len(city.tokens)) % len(city.polls)
            poll_id, question, option = city.polls[poll]
            body = f'{{"answers": [{{"question_id": {question}, "option_ids": [{option}]}}]}}'
            return self._post(f"/api/v1/polls/{poll_id}/ballot", resident, f"vote-{n}", body)
        resident = rnd.randrange(len(city.tokens))
        if action == "reading":
            # grows with the request number: a resubmission in the month never goes down
            body = f'{{"values": ["{6 + n / 1000:.3f}"]}}'
            path = f"/api/v1/home/meters/{city.meters[resident]}/readings"
            return self._post(path, resident, f"reading-{n}", body)
        if action == "order" and city.rewards:
            path = f"/api/v1/rewards/catalogue/{rnd.choice(city.rewards)}/orders"
            return self._post(path, resident, f"order-{n}", "{}")
        lat, lon = city.point
        form = f"topic={city.topic}&latitude={lat}&longitude={lon}&text=Pothole+on+the+road+number+{n}"
        return self._post(
            "/api/v1/problems/reports", resident, f"report-{n}", form, "application/x-www-form-urlencoded"
        )

    def _post(
        self, path: str, resident: int, key: str, body: str, content_type: str = "application/json"
    ) -> bytes:
        data = body.encode()
        return (
            f"POST {path} HTTP/1.1\r\nHost: {self.host}\r\n"
            f"Authorization: Bearer {self.city.tokens[resident]}\r\n"
            f"Content-Type: {content_type}\r\nIdempotency-Key: {RUN}-{key}\r\n"
            f"Content-Length: {len(data)}\r\n\r\n"
        ).encode() + data


def drive(
    port: int, city: City, duration: float, scale: float, threads: int, warmup: float
) -> tuple[Stats, float, int]:
    """Open loop (Poisson arrivals, latency from the scheduled time) over at most ``threads``
    connections in flight, on one thread (bench/_openloop.py); the first ``warmup`` seconds of
    the same traffic are not recorded."""
    stats = Stats()
    scenario = Scenario(city, port)
    rates = {a: r * scale for a, r in RATES.items() if r * scale > 0}
    elapsed, warm = _openloop.run(port, rates, duration, threads, scenario.request, stats.record, warmup)
    return stats, elapsed, warm


def report(stats: Stats, elapsed: float) -> int:
    """Print the table and the totals; return the error count (5xx, lost connections, 4xx)."""
    print(f"{'action':<10}{'requests':>9}{'per s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}  statuses")
    total = errors_5xx = lost = refused = behind = 0
    for action in RATES:
        statuses = dict(sorted(stats.statuses[action].items()))
        behind += statuses.pop(-1, 0)  # still queued when the run ended: not sent
        values = [v for v in stats.latencies.get(action, []) if v == v]  # NaN: not sent
        if not values:
            continue
        total += len(values)
        errors_5xx += sum(n for s, n in statuses.items() if s >= 500)
        refused += sum(n for s, n in statuses.items() if 400 <= s < 500)
        lost += statuses.get(0, 0)
        print(
            f"{action:<10}{len(values):>9}{len(values) / elapsed:>8.1f}"
            f"{percentile(values, 50) * 1000:>9.1f}{percentile(values, 95) * 1000:>9.1f}"
            f"{percentile(values, 99) * 1000:>9.1f}  {statuses}"
        )
    errors = errors_5xx + lost + refused
    print(f"throughput: {total} requests answered in {elapsed:.1f}s = {total / elapsed:.1f}/s")
    print(
        f"errors: {errors} (5xx: {errors_5xx}, lost connections: {lost}, 4xx: {refused}); "
        f"not sent because the server fell behind: {behind}"
    )
    return errors


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Mixed load against gunicorn + PostgreSQL, then points_check (see the module doc)."
    )
    parser.add_argument(
        "--duration",
        type=float,
        default=float(os.environ.get("BENCH_LOAD_SECONDS", "60")),
        help="seconds of load (300 for the 5-minute run; default 60 or BENCH_LOAD_SECONDS)",
    )
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies every rate (default 1.0)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    parser.add_argument(
        "--slices",
        type=float,
        default=10,
        help="print p50/p99 per slice of this many seconds and how long stalls took to recover "
        "(default 10; 0: not printed)",
    )
    parser.add_argument(
        "--warmup",
        type=float,
        default=15,
        help="seconds of the same traffic before the measured part, not recorded: the four workers "
        "boot and load their code on the two cores in the first seconds (default 15; 0 measures "
        "from the first request)",
    )
    parser.add_argument("--threads", type=int, default=64, help="client keep-alive connections (default 64)")
    parser.add_argument(
        "--checkpoint-at",
        type=float,
        default=None,
        help="force a PostgreSQL CHECKPOINT this many seconds into the measured part, so that the "
        "run includes the burst of full-page writes that follows one (PostgreSQL's own timed "
        "checkpoint, every 5 minutes by default, otherwise falls wherever it falls)",
    )
    parser.add_argument(
        "--port", type=int, default=0, help="port for gunicorn on 127.0.0.1 (default: a free one)"
    )
    args = parser.parse_args()
    if not args.port:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            args.port = probe.getsockname()[1]
    engine = "postgres" if os.environ.get("DATABASE_URL", "postgres").startswith("postgres") else "sqlite"
    name = os.environ.get("BENCH_LOAD_DB", "gorod_ops_load")
    t0 = time.perf_counter()
    url = fresh_database(engine, name)
    votes_needed = RATES["vote"] * args.scale * (args.warmup + args.duration) * 1.3
    residents = 2000
    polls = max(3, int(votes_needed // residents) + 1)
    city = build_city(residents, polls)
    from django.db import connections

    connections.close_all()
    print(
        f"setup: {engine}, {residents} residents ({len(city.sessions)} signed in), {polls} polls, {len(city.rewards)} rewards in {time.perf_counter() - t0:.1f}s"
    )
    with tempfile.TemporaryDirectory() as static_root:
        server = start_gunicorn(url, args.workers, args.port, static_root)
        try:
            check_signed_in(args.port, city.sessions[0])
            print(
                f"load: {args.duration:.0f}s at {sum(RATES.values()) * args.scale:.0f} req/s offered "
                f"(after {args.warmup:.0f}s of the same traffic not recorded), "
                f"gunicorn {args.workers} workers, {args.threads} client connections"
            )
            if args.checkpoint_at is not None and engine == "postgres":
                checkpoint_later(url, args.warmup + args.checkpoint_at)
            samples: list[CpuSample | None] = []
            after_warmup = threading.Timer(args.warmup, lambda: samples.append(cpu_sample(server.pid)))
            after_warmup.start()
            cpu = time.process_time()
            stats, elapsed, warm = drive(
                args.port, city, args.duration, args.scale, args.threads, args.warmup
            )
            cpu = time.process_time() - cpu
            samples.append(cpu_sample(server.pid))
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    errors = report(stats, elapsed)
    recovered = timeline(stats, args.slices) if args.slices else True
    sent = sum(len(v) for v in stats.latencies.values()) + warm
    print(f"load generator CPU: {cpu:.1f}s ({cpu / max(sent, 1) * 1e6:.0f} µs per request, warm-up included)")
    print(cpu_report(*samples) if len(samples) == 2 else "machine CPU: not measured")
    check = subprocess.run(
        [sys.executable, "manage.py", "points_check"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
    )
    print(f"points_check: exit {check.returncode}: {(check.stdout + check.stderr).strip().splitlines()[-1:]}")
    if errors or check.returncode or not recovered:
        sys.exit(1)


if __name__ == "__main__":
    main()
