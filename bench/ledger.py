"""Ledger benchmark: prints awards per second, latency at a fixed rate, batch speed and size.

    .venv/bin/python bench/ledger.py [--engines sqlite,postgres] [--seconds 10]

For each engine it makes a fresh database, then measures:
  single     awards/s with 4 worker processes, one award per transaction (durable commit each);
             on SQLite also with one writing process, the way an embedded database is used, and
             with synchronous=NORMAL (survives a process crash, not a power cut) for comparison
  floor      on SQLite: the fastest a bare one-row commit runs on this disk with FULL and NORMAL
             (sqlite3 alone, no Django), which bounds what any durable single award can reach
  paced      single awards offered at 500/s in total (4 workers, each on a fixed schedule):
             p50/p99/max latency from each award's scheduled time, so a worker that falls
             behind shows its queue (no coordinated omission); every scheduled award is made,
             a backlog at the end after the deadline (counted, not dropped); the rate reached,
             and "DID NOT HOLD" when that is under 98% of the offered rate or the last awards
             were more than 100 ms behind their schedule
  batched    awards/s through award_many, 1,000 events per transaction (the import path)
  bytes      on PostgreSQL: table + index bytes per award (pg_total_relation_size)
Targets (issue 3, 2-core machine): PostgreSQL ≥1,000/s single, p99 ≤10 ms at 500/s,
≥10,000/s batched, ≤500 bytes/award; SQLite ≥2,500/s single, ≥10,000/s batched.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import time

from _setup import django_setup, fresh_database, percentile

# Production settings: DEBUG keeps every SQL string in memory, which no production process does.
os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-secret")
os.environ.setdefault("GOROD_BALLOT_DEMO_CUSTODY", "1")  # stand-in trustees
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")

WORKERS = 4
RESIDENTS = 2_000
PACED_RATE = 500.0  # awards/s offered in the paced phase, spread over the workers


def _prepare() -> list[tuple[int, str]]:
    from gorod.accounts.models import Resident

    Resident.objects.bulk_create(
        [Resident(username=f"bench{n}", level="standard" if n % 2 else "full") for n in range(RESIDENTS)],
        batch_size=1000,
    )
    return list(Resident.objects.values_list("pk", "level"))


def _single_worker(
    url: str, worker: int, seconds: float, rate: float | None, out: mp.Queue, tag: str, sync: str
) -> None:
    if sync:
        os.environ["GOROD_SQLITE_SYNCHRONOUS"] = sync
    django_setup(url)
    from gorod.accounts.models import Resident
    from gorod.points.services import award

    residents = [Resident(pk=pk, level=level) for pk, level in Resident.objects.values_list("pk", "level")]
    latencies: list[float] = []
    n = 0
    start = time.perf_counter()
    deadline = start + seconds
    interval = 1 / rate if rate else 0.0
    # Paced: every award scheduled before the deadline is made, the late ones after it, so a
    # backlog left at the deadline is in the latencies (and stretches the elapsed time) instead
    # of being dropped unsent.
    scheduled = int(seconds * rate) if rate else 0
    while True:
        now = time.perf_counter()
        if (n >= scheduled) if interval else (now >= deadline):
            break
        if interval:
            # The award's scheduled time: a late one is measured from when it was due, not from
            # when the worker got round to it (no coordinated omission), and the next ones keep
            # their own schedule instead of sliding with it.
            t0 = start + n * interval
            if t0 > now:
                time.sleep(t0 - now)
        else:
            t0 = time.perf_counter()
        award(
            resident=residents[(worker * 7919 + n) % len(residents)],
            programme="active_citizen",
            action="vote",
            source_key=f"bench:{tag}:{worker}:{n}",
        )
        latencies.append(time.perf_counter() - t0)
        n += 1
    out.put((n, time.perf_counter() - start, latencies))


def _run_workers(
    url: str, seconds: float, rate: float | None, workers: int = WORKERS, tag: str = "", sync: str = ""
) -> tuple[float, list[float], float]:
    """(awards/s, latencies, the latency of the last award of the worker furthest behind)."""
    tag = tag or ("paced" if rate else "single")
    ctx = mp.get_context("spawn")
    out: mp.Queue = ctx.Queue()
    procs = [
        ctx.Process(
            target=_single_worker, args=(url, w, seconds, rate / workers if rate else None, out, tag, sync)
        )
        for w in range(workers)
    ]
    for p in procs:
        p.start()
    results = [out.get() for _ in procs]
    for p in procs:
        p.join()
    total = sum(r[0] for r in results)
    elapsed = max(r[1] for r in results)
    tail = max((r[2][-1] for r in results if r[2]), default=0.0)
    return total / elapsed, [lat for r in results for lat in r[2]], tail


def _batched(total: int) -> float:
    from gorod.points.services_bulk import AwardRequest, award_many

    residents = _prepare_cache()
    start = time.perf_counter()
    for batch in range(total // 1000):
        award_many(
            programme="electronic_home",
            action="meter_reading",
            requests=[
                AwardRequest(pk, level, f"bench:batch:{batch}:{i}")
                for i, (pk, level) in enumerate(residents[(batch * 1000) % RESIDENTS :][:1000])
            ],
        )
    return total / (time.perf_counter() - start)


_CACHE: list[tuple[int, str]] = []


def _prepare_cache() -> list[tuple[int, str]]:
    from gorod.accounts.models import Resident

    if not _CACHE:
        _CACHE.extend(Resident.objects.values_list("pk", "level"))
        _CACHE.extend(_CACHE)  # so a 1,000 slice never runs short
    return _CACHE


def _sqlite_commit_floor(directory: str, commits: int = 2_000) -> dict[str, float]:
    """Microseconds per bare one-row commit in WAL mode, by synchronous level."""
    import sqlite3
    import tempfile

    floor = {}
    for sync in ("FULL", "NORMAL"):
        with tempfile.TemporaryDirectory(dir=directory) as tmp:
            db = sqlite3.connect(os.path.join(tmp, "floor.sqlite3"), isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute(f"PRAGMA synchronous={sync}")
            db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
            start = time.perf_counter()
            for n in range(commits):
                db.execute("BEGIN IMMEDIATE")
                db.execute("INSERT INTO t (v) VALUES (?)", (str(n),))
                db.execute("COMMIT")
            floor[sync] = (time.perf_counter() - start) / commits * 1e6
            db.close()
    return floor


def _bytes_per_award() -> float:
    from django.db import connection

    from gorod.points.models import Transfer

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE points_transfer")
        cursor.execute("SELECT pg_total_relation_size('points_transfer')")
        size = cursor.fetchone()[0]
    return size / Transfer.objects.count()


def run(engine: str, seconds: float) -> None:
    url = fresh_database(engine, f"gorod_bench_ledger_{engine}")
    _prepare()
    single, _, _ = _run_workers(url, seconds, None)
    extra = ""
    if engine == "sqlite":
        # SQLite takes one writer at a time and its waiters poll with sleeps: one writing process
        # is how it is meant to be used (the embedded default), so show that figure too.
        one, _, _ = _run_workers(url, seconds, None, workers=1, tag="one")
        normal, _, _ = _run_workers(url, seconds, None, tag="normal", sync="NORMAL")
        floor = _sqlite_commit_floor(os.path.dirname(url.removeprefix("sqlite:///")))
        extra = (
            f", {one:,.0f}/s (1 writer); synchronous=NORMAL {normal:,.0f}/s ({WORKERS} workers)"
            f" | bare commit on this disk: FULL {floor['FULL']:,.0f} µs"
            f" (≤{1e6 / floor['FULL']:,.0f}/s), NORMAL {floor['NORMAL']:,.0f} µs"
        )
    paced_rate, latencies, tail = _run_workers(url, seconds, PACED_RATE)
    # Held: nearly every scheduled award was made by the end, and the last ones were not left
    # waiting behind a queue (latency counts from the schedule, so a backlog shows as lag).
    held = paced_rate >= 0.98 * PACED_RATE and tail < 0.1
    paced_note = "held" if held else f"DID NOT HOLD {PACED_RATE:,.0f}/s"
    batched = _batched(20_000)
    from gorod.points.checks import ledger_mismatches

    mismatches, total = ledger_mismatches()
    line = (
        f"{engine:<9} single {single:8,.0f} awards/s ({WORKERS} workers)" + extra + " | "
        f"paced {paced_rate:5,.0f}/s of {PACED_RATE:,.0f}/s offered ({paced_note}), from the schedule: "
        f"p50 {percentile(latencies, 50) * 1000:5.1f} ms p99 {percentile(latencies, 99) * 1000:5.1f} ms "
        f"max {max(latencies) * 1000:6.1f} ms | batched {batched:8,.0f} awards/s"
    )
    if engine == "postgres":
        line += f" | {_bytes_per_award():5.0f} bytes/award"
    line += f" | ledger check {'clean' if not mismatches and total == 0 else 'FAILED'}"
    print(line, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--engines", default="sqlite,postgres")
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    for engine in args.engines.split(","):
        # each engine in its own process: Django's settings are read once per process
        ctx = mp.get_context("spawn")
        proc = ctx.Process(target=run, args=(engine, args.seconds))
        proc.start()
        proc.join()


if __name__ == "__main__":
    main()
