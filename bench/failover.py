"""Failover scenario on the reference cluster (issue 28, docs/adr/0007-ha-cluster.md).

Runs mixed traffic through the cluster's web front (HAProxy, two gunicorn nodes), kills the
PostgreSQL leader mid-run with SIGKILL, later a whole web node, and then proves from the
client's own log that no acknowledged write was lost or doubled:

    phase "before"      steady traffic
    phase "no leader"   from the leader's SIGKILL until a write succeeds again
    phase "new leader"  traffic on the promoted standby
    phase "web down"    after SIGKILL of web node a (gunicorn, its worker and schedules)

Traffic (closed loop, ``--threads`` clients pacing themselves to ``--rate`` requests/s in all,
kept small: the machine is shared): votes 60%, reads 25% (public pages signed out, the
resident's own balance with their token), meter readings 8%, reward orders 4%, problem reports
3%. Every write carries an Idempotency-Key. A write is *acknowledged* when it got a 2xx; after
the run each acknowledged ballot must have its participation and exactly one ``vote:`` transfer,
each acknowledged order and report its row, each acknowledged reading a stored value at least as
high, and ``manage.py points_check`` must pass. Writes that failed (503, a cut connection) are
counted as well, with how many of them committed anyway (allowed: the client did not get an
answer, and a retry with the same Idempotency-Key would have been answered from the stored one).

    ops/cluster/cluster up
    .venv/bin/python bench/failover.py [--kill host|postgres] [--rate 30] [--threads 8]
    ops/cluster/cluster down

``--kill host`` (default) kills the leader's Patroni and every PostgreSQL process of that node, as
a lost server would; ``--kill postgres`` kills only the postmaster, which Patroni restarts in place
or fails over. The database ``gorod`` of the cluster is dropped and rebuilt by each run. Exits
non-zero when an acknowledged write is missing or doubled, writes were not back within 30 s, no
read was answered while the leader was down, or points_check fails.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STATE = Path(os.environ.get("GOROD_CLUSTER_DIR", ROOT / ".cluster"))
CLUSTER = ROOT / "ops" / "cluster" / "cluster"
READS = frozenset({"page", "balance"})
WRITES_BACK_GOAL = 30.0  # seconds from the kill to the first acknowledged write


def cluster_env() -> dict[str, str]:
    env_file = STATE / "env"
    if not env_file.exists():
        sys.exit(f"no cluster at {STATE}: start it with ops/cluster/cluster up")
    pairs = (line.split("=", 1) for line in env_file.read_text().splitlines() if "=" in line)
    return {key: value for key, value in pairs}


ENV = cluster_env()
BASE = os.environ.get("GOROD_CLUSTER_PORT_BASE", "27")
FRONT = ("127.0.0.1", int(f"{BASE}080"))
REST_PORTS = {1: int(f"{BASE}008"), 2: int(f"{BASE}009")}
os.environ["BENCH_PG_URL"] = ENV["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres"
sys.path.insert(0, str(Path(__file__).resolve().parent))
import load  # noqa: E402  (after BENCH_PG_URL: _setup reads it at import)
from _setup import fresh_database  # noqa: E402

# the web nodes' settings, not load.py's own random key (its sessions are not used here)
for name in ("DJANGO_SECRET_KEY", "GOROD_BALLOT_DEMO_CUSTODY", "GOROD_CACHE", "GOROD_CACHE_LOCATION"):
    os.environ[name] = ENV[name]


@dataclass
class Entry:
    action: str
    phase: str
    sent: float
    done: float
    status: int  # 0: no answer (connection cut or timed out)
    detail: tuple  # what to look for afterwards
    answer: dict = field(default_factory=dict)


class Log:
    def __init__(self) -> None:
        self.entries: list[Entry] = []
        self.lock = threading.Lock()
        self.phase = "warm-up"

    def add(self, entry: Entry) -> None:
        with self.lock:
            self.entries.append(entry)


class Client:
    """One resident-shaped client: its own keep-alive connection to the front, new on any error."""

    def __init__(self, city: load.City, people: list[int], log: Log, seed: int, clients: int) -> None:
        self.city, self.people, self.log, self.clients = city, people, log, clients
        self.rnd = random.Random(seed)
        self.conn: http.client.HTTPConnection | None = None
        self.seed = seed
        self.n = 0

    def send(self, method: str, path: str, headers: dict[str, str], body: bytes | None) -> tuple[int, bytes]:
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(*FRONT, timeout=15)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                if response.getheader("Connection", "").lower() == "close":
                    self.conn.close()
                    self.conn = None
                return response.status, data
            except (OSError, http.client.HTTPException):
                if self.conn is not None:
                    self.conn.close()
                self.conn = None
                # A keep-alive connection the front had already closed fails before anything is
                # sent: tried once more on a new one. A write whose answer was lost is not retried.
                if method != "GET" or attempt:
                    return 0, b""
        return 0, b""

    def step(self, votes: Iterator[int]) -> None:
        self.n += 1
        key = f"{load.RUN}-{self.seed}-{self.n}"
        roll = self.rnd.random()
        resident = self.rnd.randrange(len(self.city.tokens))
        if roll < 0.60:
            try:
                k = next(votes)
            except StopIteration:
                return
            resident, poll = k % len(self.city.tokens), (k // len(self.city.tokens)) % len(self.city.polls)
            poll_id, question, option = self.city.polls[poll]
            body = {"answers": [{"question_id": question, "option_ids": [option]}]}
            self.write("vote", f"/api/v1/polls/{poll_id}/ballot", resident, key, body, (poll_id, resident))
        elif roll < 0.85:
            if self.rnd.random() < 0.5:
                path = self.rnd.choice(load.PAGES)
                self.read("page", path, {})
            else:
                token = {"Authorization": f"Bearer {self.city.tokens[resident]}"}
                self.read("balance", "/api/v1/points/balance", token)
        elif roll < 0.93:
            # Each client reads its own meters (resident numbers n with n % clients == seed), with
            # values that only grow: the stored reading must be at least its last acknowledged one.
            resident = resident - resident % self.clients + self.seed
            if resident >= len(self.city.tokens):
                resident -= self.clients
            value = f"{6 + self.n / 1000:.3f}"
            meter = self.city.meters[resident]
            path = f"/api/v1/home/meters/{meter}/readings"
            self.write("reading", path, resident, key, {"values": [value]}, (meter, value))
        elif roll < 0.97:
            reward = self.rnd.choice(self.city.rewards)
            self.write("order", f"/api/v1/rewards/catalogue/{reward}/orders", resident, key, {}, ())
        else:
            lat, lon = self.city.point
            form = f"topic={self.city.topic}&latitude={lat}&longitude={lon}&text=Failover+pothole+{key}"
            self.write("report", "/api/v1/problems/reports", resident, key, form, ())

    def read(self, action: str, path: str, headers: dict[str, str]) -> None:
        sent = time.monotonic()
        status, _ = self.send("GET", path, {"Host": "127.0.0.1", **headers}, None)
        self.log.add(Entry(action, self.log.phase, sent, time.monotonic(), status, (path,)))

    def write(self, action: str, path: str, resident: int, key: str, body: object, detail: tuple) -> None:
        if isinstance(body, str):
            data, content_type = body.encode(), "application/x-www-form-urlencoded"
        else:
            data, content_type = json.dumps(body).encode(), "application/json"
        headers = {
            "Host": "127.0.0.1",
            "Authorization": f"Bearer {self.city.tokens[resident]}",
            "Idempotency-Key": key,
            "Content-Type": content_type,
        }
        sent = self.log.phase, time.monotonic()
        status, answer = self.send("POST", path, headers, data)
        parsed: dict = {}
        if 200 <= status < 300:
            try:
                parsed = json.loads(answer)
            except ValueError:
                parsed = {}
        entry = Entry(action, sent[0], sent[1], time.monotonic(), status, (self.people[resident], *detail))
        entry.answer = parsed
        self.log.add(entry)


def leader() -> int | None:
    for _node, port in REST_PORTS.items():
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/cluster", timeout=2) as answer:
                members = json.load(answer)["members"]
        except OSError:
            continue
        for member in members:
            if member["role"] == "leader":
                return int(member["name"].removeprefix("pg"))
    return None


def kill_node(node: int, how: str) -> None:
    """SIGKILL the node's postmaster (and, for ``host``, its Patroni and every backend)."""
    postmaster = int((STATE / f"pg{node}" / "data" / "postmaster.pid").read_text().split()[0])
    backends = subprocess.run(["pgrep", "-P", str(postmaster)], capture_output=True, text=True).stdout.split()
    if how == "host":
        patroni = int((STATE / "run" / f"patroni-{node}.pid").read_text())
        os.killpg(patroni, signal.SIGKILL)
    os.kill(postmaster, signal.SIGKILL)
    if how == "host":
        for pid in backends:
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(pid), signal.SIGKILL)


def kill_web(node: str) -> None:
    for part in ("web", "worker", "schedules"):
        pid = int((STATE / "run" / f"{part}-{node}.pid").read_text())
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)


def drive(city: load.City, people: list[int], args: argparse.Namespace, log: Log) -> dict[str, float]:
    stop = threading.Event()
    votes = iter(range(len(city.tokens) * len(city.polls)))
    vote_lock = threading.Lock()

    def next_vote() -> int:
        with vote_lock:
            return next(votes)

    class Votes:
        def __iter__(self) -> Votes:
            return self

        def __next__(self) -> int:
            return next_vote()

    interval = args.threads / args.rate

    def run(seed: int) -> None:
        client = Client(city, people, log, seed, args.threads)
        due = time.monotonic()
        while not stop.is_set():
            client.step(Votes())
            due += interval
            time.sleep(max(0.0, due - time.monotonic()))

    threads = [threading.Thread(target=run, args=(n,), daemon=True) for n in range(args.threads)]
    for thread in threads:
        thread.start()
    marks: dict[str, float] = {}
    time.sleep(args.warmup)
    log.phase = "before"
    marks["start"] = time.monotonic()
    time.sleep(args.phase)
    node = leader()
    if node is None:
        raise RuntimeError("no leader before the kill")
    print(f"killing PostgreSQL leader pg{node} ({args.kill}) at {time.monotonic() - marks['start']:.1f}s")
    marks["leader_kill"] = time.monotonic()
    log.phase = "no leader"
    kill_node(node, args.kill)
    marks["killed_node"] = node
    deadline = marks["leader_kill"] + 90
    while time.monotonic() < deadline:
        back = [
            e.done
            for e in list(log.entries)
            if e.sent > marks["leader_kill"]
            and 200 <= e.status < 300
            and e.action in {"vote", "reading", "order", "report"}
        ]
        if back:
            marks["writes_back"] = min(back)
            break
        time.sleep(0.2)
    log.phase = "new leader"
    new = leader()
    print(
        f"writes back after {marks.get('writes_back', float('nan')) - marks['leader_kill']:.1f}s; leader now pg{new}"
    )
    time.sleep(args.phase)
    print("killing web node a")
    marks["web_kill"] = time.monotonic()
    log.phase = "web down"
    kill_web("a")
    time.sleep(args.phase)
    stop.set()
    for thread in threads:
        thread.join(timeout=20)
    marks["end"] = time.monotonic()
    return marks


STRAGGLER_GAP = 5.0  # seconds without a failed write that end the outage


def writes_back(log: Log, kill: float, until: float) -> float:
    """When writes were back: the answer to the first acknowledged write sent after the outage's
    last failed write (5xx, no answer). The outage is the run of failures from the first after the
    kill until a gap of STRAGGLER_GAP seconds without one; failures after that gap are stragglers,
    counted apart. From the log, not from the first success: after a kill of the postmaster alone,
    writes on surviving backends may still succeed for a moment before the outage starts."""
    writes = sorted((e for e in log.entries if e.action not in READS), key=lambda e: e.sent)
    failed = [e.sent for e in writes if kill <= e.sent < until and (e.status == 0 or e.status >= 500)]
    end: float | None = None
    for sent in failed:
        if end is not None and sent - end > STRAGGLER_GAP:
            break
        end = sent
    stragglers = sum(1 for sent in failed if end is not None and sent > end)
    if stragglers:
        print(f"failed writes after the outage (stragglers, {STRAGGLER_GAP:g} s or more later): {stragglers}")
    after = end if end is not None else kill
    acked = [e.done for e in writes if e.sent > after and 200 <= e.status < 300]
    return min(acked, default=float("inf"))


def assign_phases(log: Log, marks: dict[str, float], back: float) -> None:
    """Each request's phase by the time it was sent."""
    for e in log.entries:
        if e.phase == "warm-up":
            continue
        if e.sent < marks["leader_kill"]:
            e.phase = "before"
        elif e.sent < back:
            e.phase = "no leader"
        elif e.sent < marks["web_kill"]:
            e.phase = "new leader"
        else:
            e.phase = "web down"


def phases_table(log: Log) -> None:
    by_phase: dict[str, Counter] = defaultdict(Counter)
    for e in log.entries:
        kind = "read" if e.action in READS else "write"
        outcome = "ok" if 200 <= e.status < 300 else ("refused" if 400 <= e.status < 500 else "failed")
        by_phase[e.phase][f"{kind} {outcome}"] += 1
    print(f"{'phase':<12}{'reads ok':>10}{'failed':>8}{'writes ok':>11}{'failed':>8}{'refused':>9}")
    for phase in ("warm-up", "before", "no leader", "new leader", "web down"):
        c = by_phase.get(phase, Counter())
        print(
            f"{phase:<12}{c['read ok']:>10}{c['read failed'] + c['read refused']:>8}{c['write ok']:>11}"
            f"{c['write failed']:>8}{c['write refused']:>9}"
        )
    statuses = Counter((e.action, e.status) for e in log.entries if not 200 <= e.status < 300)
    if statuses:
        print(
            "not 2xx: " + ", ".join(f"{a} {s or 'no answer'} x{n}" for (a, s), n in sorted(statuses.items()))
        )


def verify(log: Log) -> tuple[int, int, int]:
    """(acknowledged writes missing, duplicated, failed writes that committed anyway)."""
    from django.db import connections

    from gorod.housing.models import Reading
    from gorod.points.models import Transfer
    from gorod.problems.models import Report
    from gorod.rewards.models import Order
    from gorod.voting.models import Participation

    connections.close_all()
    acked = [e for e in log.entries if 200 <= e.status < 300 and e.action not in READS]
    failed = [
        e for e in log.entries if not 200 <= e.status < 300 and e.status != 409 and e.action not in READS
    ]
    lost: Counter = Counter()
    duplicated = 0
    votes = {(e.detail[1], e.detail[0]) for e in acked if e.action == "vote"}
    voted = set(Participation.objects.values_list("poll_id", "resident_id"))
    lost["vote"] += len(votes - voted)
    vote_keys = Counter(
        Transfer.objects.filter(source_key__startswith="vote:").values_list("source_key", flat=True)
    )
    duplicated += sum(n - 1 for n in vote_keys.values() if n > 1)
    # each acknowledged ballot earned its points exactly once (the ledger's key is unique; checked anyway)
    lost["vote transfer"] += sum(1 for poll, resident in votes if vote_keys[f"vote:{poll}:{resident}"] == 0)
    readings: dict[int, Decimal] = {}
    for e in acked:
        if e.action == "reading":
            meter, value = e.detail[1], Decimal(e.detail[2])
            readings[meter] = max(readings.get(meter, value), value)
    stored = {r.meter_id: r.value_1 for r in Reading.objects.filter(meter_id__in=readings).order_by("period")}
    lost["reading"] += sum(1 for meter, value in readings.items() if stored.get(meter, Decimal(-1)) < value)
    for action, model in (("order", Order), ("report", Report)):
        ids = [e.answer.get("id") for e in acked if e.action == action]
        lost[action] += len(set(ids) - set(model.objects.filter(pk__in=ids).values_list("pk", flat=True)))
        duplicated += len(ids) - len(set(ids))
    committed_anyway = sum(1 for e in failed if e.action == "vote" and (e.detail[1], e.detail[0]) in voted)
    kinds = Counter(e.action for e in acked)
    missing = sum(lost.values())
    print(
        "acknowledged writes: "
        + ", ".join(f"{n} {a}s" for a, n in sorted(kinds.items()))
        + f"; checked against the database: {missing} missing, {duplicated} duplicated"
        + (" (" + ", ".join(f"{a}: {n}" for a, n in lost.items() if n) + ")" if missing else "")
    )
    print(
        f"writes without a success answer: {len(failed)} ({committed_anyway} of their ballots committed anyway: "
        "a retry with the same Idempotency-Key replays them)"
    )
    return missing, duplicated, committed_anyway


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Kill the PostgreSQL leader and a web node under load (module doc)."
    )
    parser.add_argument("--kill", choices=["host", "postgres"], default="host")
    parser.add_argument("--rate", type=float, default=30.0, help="requests per second in all (default 30)")
    parser.add_argument("--threads", type=int, default=8, help="client threads (default 8)")
    parser.add_argument("--phase", type=float, default=20.0, help="seconds of each phase (default 20)")
    parser.add_argument("--warmup", type=float, default=5.0)
    args = parser.parse_args()
    t0 = time.perf_counter()
    subprocess.run(["redis-cli", "-p", f"{BASE}637", "flushall"], check=False, capture_output=True)
    fresh_database("postgres", ENV["DATABASE_URL"].rsplit("/", 1)[1].split("?")[0])
    city = load.build_city(residents=1000, polls=8)
    from django.db import connections

    from gorod.accounts.models import Resident

    people = list(
        Resident.objects.filter(username__startswith="load", email__endswith="@load.test")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    connections.close_all()
    print(f"setup: 1000 residents, 8 polls, {len(city.rewards)} rewards in {time.perf_counter() - t0:.0f}s")
    log = Log()
    load_before = os.getloadavg()
    marks = drive(city, people, args, log)
    load_after = os.getloadavg()
    print(f"load average: {load_before[0]:.1f} before, {load_after[0]:.1f} after (1 min)")
    kill = marks["leader_kill"]
    back = writes_back(log, kill, marks["web_kill"])
    assign_phases(log, marks, back)
    phases_table(log)
    down = back - kill
    last_ok = max(
        (e.done for e in log.entries if e.done <= kill and 200 <= e.status < 300 and e.action not in READS),
        default=kill,
    )
    print(
        f"seconds without a writable leader: {down:.1f} from the kill ({back - last_ok:.1f} from the last "
        "acknowledged write before it to the first one after the last failed write)"
    )
    reads_during = sum(
        1 for e in log.entries if e.phase == "no leader" and e.action in READS and e.status == 200
    )
    reads_failed = sum(
        1 for e in log.entries if e.phase == "no leader" and e.action in READS and e.status != 200
    )
    print(
        f"reads while no leader: {reads_during} answered, {reads_failed} failed (a resident's own balance needs the leader)"
    )
    print("bringing the killed nodes back: pg{}, web node a".format(marks["killed_node"]))
    subprocess.run([str(CLUSTER), "start-node", str(int(marks["killed_node"]))], check=False)
    subprocess.run([str(CLUSTER), "start-web", "a"], check=False)
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    dump = out / f"failover-{load.RUN}.json"
    dump.write_text(json.dumps({"marks": marks, "entries": [e.__dict__ for e in log.entries]}, default=str))
    print(f"client log: {dump.relative_to(ROOT)}")
    missing, duplicated, _ = verify(log)
    check = subprocess.run(
        [sys.executable, "manage.py", "points_check"],
        cwd=ROOT,
        env={**os.environ, **ENV},
        capture_output=True,
        text=True,
    )
    print(f"points_check: exit {check.returncode}: {(check.stdout + check.stderr).strip().splitlines()[-1:]}")
    ok = (
        not missing
        and not duplicated
        and down <= WRITES_BACK_GOAL
        and reads_during > 0
        and not check.returncode
    )
    print("RESULT: " + ("pass" if ok else "FAIL"))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
