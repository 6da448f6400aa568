"""Active Citizen benchmark (PostgreSQL).

NOT the ballot's ratio against a bare baseline: bench/wrk_compare.py is (issue 29). The "bare"
side here runs inside gorod's settings with all its middleware and JSON request logging, writes
the vote's rows through the ORM, and both sides are driven by Python clients on the same two
cores, which caps them both; its ratio (0.80 where the external baseline gives 0.46) says how
much the vote's own checks and points cost over gorod's request overhead, not how gorod compares
with a bare Django + ninja view. Kept for that, for its SQL count per ballot and for the tally.

1. Ballots per second through the real HTTP endpoint ``POST /api/v1/polls/<id>/ballot``
   (gunicorn, 4 sync workers, bearer tokens, every check, points awarded) against a bare Django
   view in the same server that inserts the same rows (participation, ballot, picks) with no
   auth, validation or points. Printed as a ratio (goal ≥ 0.7).
   Bare and real run in alternating rounds so that both see the same load from the rest of the
   machine; the SQL per ballot of each is counted in-process first (independent of load).
   ``--no-points`` gives the real poll no reward, to see the voting side without the ledger.
2. Time to close a poll of 1,000,000 ballots (grouped tally + Merkle root, tree stored) and
   publish its results (goal ≤ 10 s), then one inclusion proof through
   ``GET /api/v1/polls/<id>/receipts/<code>`` from the stored tree against the old way (every
   leaf read and the whole tree rebuilt per proof), measured in the same run.

    .venv/bin/python bench/voting.py [--seconds 12] [--clients 8] [--ballots 1000000]
        [--residents 16000] [--rounds 4] [--no-points] [--skip-http] [--skip-tally]
        [--port 8765] [--database bench_voting]

Needs PostgreSQL (BENCH_PG_URL, default postgres://postgres@127.0.0.1:5432/postgres); uses a
fresh database (``--database``, default ``bench_voting``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import multiprocessing
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import ROOT, fresh_database

PORT = 8765
DB_NAME = "bench_voting"


def prepare(residents: int, points: bool = True) -> dict:
    from django.utils import timezone

    from gorod.accounts.models import ApiToken, District, Okrug, Resident
    from gorod.accounts.rules import TOKEN_PREFIX, token_digest
    from gorod.voting import services
    from gorod.voting.models import Question, QuestionKind

    okrug = Okrug.objects.create(code="bench", name="Bench okrug")
    districts = [District.objects.create(okrug=okrug, code=f"bench-{i}", name=f"Bench {i}") for i in range(5)]
    Resident.objects.bulk_create(
        Resident(username=f"voter{i}", level="standard", home_district=districts[i % 5], password="!")
        for i in range(residents)
    )
    people = list(
        Resident.objects.filter(username__startswith="voter")
        .order_by("pk")
        .values_list("pk", "home_district_id")
    )
    now = timezone.now()
    plains = [TOKEN_PREFIX + secrets.token_urlsafe(32) for _ in people]
    ApiToken.objects.bulk_create(
        ApiToken(
            resident_id=pk, name="bench", prefix=plain[:12], digest=token_digest(plain), last_used_at=now
        )
        for (pk, _d), plain in zip(people, plains, strict=True)
    )

    def poll(title: str) -> int:
        created = services.poll_create(
            title=title,
            reward_action="vote" if points else "",
            opens_at=now - dt.timedelta(minutes=5),
            closes_at=now + dt.timedelta(days=1),
            questions=[
                services.QuestionSpec(text="Park", options=["A", "B", "C"]),
                services.QuestionSpec(
                    text="Add", options=["W", "X", "Y", "Z"], kind=QuestionKind.MULTIPLE, max_choices=2
                ),
            ],
        )
        services.poll_open(poll_id=created.pk)
        return created.pk

    real, bare = poll("Real endpoint"), poll("Bare view")
    shapes = {
        p: [
            (q.pk, sorted(o.pk for o in q.options.all()))
            for q in Question.objects.filter(poll_id=p).prefetch_related("options").order_by("position")
        ]
        for p in (real, bare)
    }
    return {
        "people": [(pk, d, plain) for (pk, d), plain in zip(people, plains, strict=True)],
        "real": real,
        "bare": bare,
        "shapes": shapes,
    }


def client(job: tuple) -> int:
    """One load process: sequential requests (new connection each: gunicorn sync workers)."""
    kind, poll_id, shape, people, deadline = job
    done = 0
    for i, (resident_id, district_id, token) in enumerate(people):
        if time.monotonic() >= deadline:
            break
        (q1, o1), (q2, o2) = shape
        picks = [(q1, o1[i % 3]), (q2, o2[i % 4])]
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        if kind == "real":
            body = {"answers": [{"question_id": q, "option_ids": [o]} for q, o in picks]}
            headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
            url = f"/api/v1/polls/{poll_id}/ballot"
        else:
            body = {
                "resident_id": resident_id,
                "district_id": district_id,
                "picks": picks,
                "choices": f"{q1}={picks[0][1]};{q2}={picks[1][1]}",
            }
            headers = {"Content-Type": "application/json"}
            url = f"/bench/bare-ballot/{poll_id}"
        conn.request("POST", url, body=json.dumps(body), headers=headers)
        response = conn.getresponse()
        content = response.read()
        conn.close()
        if response.status != 201:
            raise RuntimeError(f"{kind}: HTTP {response.status} {content[:300]!r}")
        done += 1
    return done


def load(
    kind: str, poll_id: int, shape: list, people: list, clients: int, seconds: float
) -> tuple[int, float]:
    """(ballots done, seconds taken) for ``clients`` processes until the deadline."""
    deadline = time.monotonic() + seconds
    slices = [people[i::clients] for i in range(clients)]
    started = time.monotonic()
    with multiprocessing.get_context("fork").Pool(clients) as pool:
        counts = pool.map(client, [(kind, poll_id, shape, s, deadline) for s in slices])
    return sum(counts), time.monotonic() - started


def start_gunicorn(url: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "voting_settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "bench-" + secrets.token_hex(16),
        "GOROD_BALLOT_DEMO_CUSTODY": "1",  # stand-in trustees, so the bench can mix and close
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "AXES_ENABLED": "0",
    }
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "--workers",
            "4",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--pythonpath",
            f"{ROOT / 'bench'},{ROOT}",
            "--log-level",
            "warning",
            "config.wsgi:application",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    for _ in range(100):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
            conn.request("GET", "/api/v1/openapi.json")
            conn.getresponse().read()
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("gunicorn did not start")


def queries_per_ballot(data: dict, voters: list) -> None:
    """Count the SQL of one ballot through each path, in this process (Django's test client on
    the same URLs and database), after the load so that the ledger's shared accounts exist;
    counts do not depend on how busy the machine is."""
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    counts = {}
    with override_settings(ROOT_URLCONF="voting_urls"):
        for kind in ("bare", "real"):
            poll_id = data[kind]
            (q1, o1), (q2, o2) = data["shapes"][poll_id]
            for _attempt in range(2):  # the first real ballot of a process reads the poll's shape
                resident_id, district_id, token = voters.pop()
                if kind == "real":
                    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
                    client.get(f"/api/v1/polls/{poll_id}")  # as an app would; notes the token's use
                    url = f"/api/v1/polls/{poll_id}/ballot"
                    body: dict = {
                        "answers": [
                            {"question_id": q1, "option_ids": [o1[0]]},
                            {"question_id": q2, "option_ids": [o2[0]]},
                        ]
                    }
                else:
                    client, url = Client(), f"/bench/bare-ballot/{poll_id}"
                    body = {
                        "resident_id": resident_id,
                        "district_id": district_id,
                        "picks": [(q1, o1[0]), (q2, o2[0])],
                        "choices": f"{q1}={o1[0]};{q2}={o2[0]}",
                    }
                with CaptureQueriesContext(connection) as captured:
                    response = client.post(url, body, content_type="application/json")
                assert response.status_code == 201, response.content
            sqls = [q["sql"] for q in captured.captured_queries]
            counts[kind] = (
                len(sqls),
                sum('"points_' in q for q in sqls),
                sum(q.startswith(("SAVEPOINT", "RELEASE SAVEPOINT")) for q in sqls),
            )
    real, bare = counts["real"], counts["bare"]
    print(f"SQL per ballot (BEGIN/COMMIT included): bare view {bare[0]}, real endpoint {real[0]}")
    print(
        f"  of the real endpoint's: {real[1]} on points_ tables (gorod.points award), "
        f"{real[2]} SAVEPOINT/RELEASE (the award's own), {real[0] - real[1] - real[2]} the rest"
    )


def bench_http(url: str, seconds: float, clients: int, residents: int, rounds: int, points: bool) -> None:
    from django.db import connections

    from gorod.accounts.models import ApiToken

    data = prepare(residents=residents, points=points)
    voters = [data["people"].pop() for _ in range(4)]  # kept apart for queries_per_ballot
    connections.close_all()
    server = start_gunicorn(url)
    people = data["people"]
    warm = people[: clients * 6]
    half = (len(people) - len(warm)) // 2
    bare_people, real_people = people[len(warm) : len(warm) + half], people[len(warm) + half :]
    bare_done = real_done = 0
    bare_time = real_time = 0.0
    try:
        # warm both paths (imports, connections, the poll's shape) with a few ballots each
        load("bare", data["bare"], data["shapes"][data["bare"]], warm[: clients * 3], clients, 60)
        load("real", data["real"], data["shapes"][data["real"]], warm[clients * 3 :], clients, 60)
        # Alternate short rounds so both sides see the same load from other work on the machine.
        for r in range(rounds):
            done, took = load(
                "bare",
                data["bare"],
                data["shapes"][data["bare"]],
                bare_people[r::rounds],
                clients,
                seconds / rounds,
            )
            bare_done, bare_time = bare_done + done, bare_time + took
            # A voter's app reads the poll before voting, which notes the token's use (at most
            # once a minute); do that here, outside the measured time, as the bare view has no auth.
            ApiToken.objects.filter(name="bench").update(last_used_at=timezone_now())
            connections.close_all()
            done, took = load(
                "real",
                data["real"],
                data["shapes"][data["real"]],
                real_people[r::rounds],
                clients,
                seconds / rounds,
            )
            real_done, real_time = real_done + done, real_time + took
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    queries_per_ballot(data, voters)
    bare, real = bare_done / bare_time, real_done / real_time
    print(f"bare view inserting the same rows: {bare:8.1f} ballots/s")
    print(f"real endpoint (auth, checks{', points' if points else ', no points'}): {real:8.1f} ballots/s")
    print(
        f"ratio real/in-gorod view: {real / bare:.2f} ({rounds} alternating rounds of each; the view runs "
        "inside gorod's middleware: for the goal of >= 0.7 of a bare baseline see bench/wrk_compare.py)"
    )


def timezone_now() -> dt.datetime:
    from django.utils import timezone

    return timezone.now()


def bench_tally(ballots: int) -> None:
    # TODO(issue 21): the bulk set-up below writes ballots in their old form (receipt on the
    # ballot row); it must load mixed ballots and receipts (ADR 0003) before it measures again.
    raise SystemExit("the 1M-ballot close benchmark awaits its update to ADR 0003: run with --skip-tally")
    from django.db import connection
    from django.utils import timezone

    from gorod.accounts.models import District, Okrug
    from gorod.voting import services, tally
    from gorod.voting.models import Poll, Question

    now = timezone.now()
    poll = services.poll_create(
        title="A million ballots",
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=1),
        questions=[
            services.QuestionSpec(text="Which?", options=["A", "B", "C", "D"]),
            services.QuestionSpec(text="And?", options=["Yes", "No"]),
        ],
    )
    services.poll_open(poll_id=poll.pk)
    (q1, o1), (q2, o2) = [
        (q.pk, sorted(o.pk for o in q.options.all()))
        for q in Question.objects.filter(poll=poll).prefetch_related("options").order_by("position")
    ]
    if not District.objects.exists():
        okrug = Okrug.objects.create(code="tally", name="Tally okrug")
        for i in range(5):
            District.objects.create(okrug=okrug, code=f"tally-{i}", name=f"Tally {i}")
    districts = list(District.objects.values_list("pk", flat=True))
    # one ballot cast for real, so that there is a receipt code to ask a proof for
    from gorod.accounts.models import Resident
    from gorod.voting.rules import Answer

    voter = Resident.objects.create(username="tally-voter", level="standard", home_district_id=districts[0])
    code = services.ballot_cast(
        poll_id=poll.pk,
        resident=voter,
        answers=[Answer(question_id=q1, option_ids=(o1[0],)), Answer(question_id=q2, option_ids=(o2[0],))],
    ).code
    started = time.monotonic()
    with connection.cursor() as cursor:
        # Bulk set-up only: skip per-row foreign-key triggers (the ids are known to be valid).
        cursor.execute("SET session_replication_role = replica")
        cursor.execute(
            """
            INSERT INTO voting_ballot (id, poll_id, receipt_hash, choices, leaf, district_id, cast_hour)
            SELECT id, poll_id, receipt_hash, choices,
                   sha256('\\x00'::bytea || convert_to(receipt_hash || '|' || choices, 'UTF8')),
                   district_id, cast_hour
            FROM (
              SELECT md5('b' || i)::uuid AS id, %(poll)s AS poll_id,
                     md5('r' || i) || md5('s' || i) AS receipt_hash,
                     %(q1)s || '=' || (%(o1)s::int[])[1 + i %% 4] || ';'
                       || %(q2)s || '=' || (%(o2)s::int[])[1 + i %% 2] AS choices,
                     (%(d)s::int[])[1 + i %% %(nd)s] AS district_id, date_trunc('hour', now()) AS cast_hour
              FROM generate_series(1, %(n)s) AS i
            ) AS generated
            """,
            {
                "poll": poll.pk,
                "q1": q1,
                "q2": q2,
                "o1": o1,
                "o2": o2,
                "d": districts,
                "nd": len(districts),
                "n": ballots,
            },
        )
        cursor.execute(
            """
            INSERT INTO voting_ballotchoice (id, ballot_id, poll_id, question_id, option_id, district_id)
            SELECT gen_random_uuid(), md5('b' || i)::uuid, %(poll)s, q.qid,
                   CASE WHEN q.qid = %(q1)s THEN (%(o1)s::int[])[1 + i %% 4] ELSE (%(o2)s::int[])[1 + i %% 2] END,
                   (%(d)s::int[])[1 + i %% %(nd)s]
            FROM generate_series(1, %(n)s) AS i CROSS JOIN (VALUES (%(q1)s), (%(q2)s)) AS q(qid)
            """,
            {
                "poll": poll.pk,
                "q1": q1,
                "q2": q2,
                "o1": o1,
                "o2": o2,
                "d": districts,
                "nd": len(districts),
                "n": ballots,
            },
        )
        cursor.execute("SET session_replication_role = DEFAULT")
        cursor.execute("ANALYZE voting_ballot")
        cursor.execute("ANALYZE voting_ballotchoice")
    print(
        f"loaded {ballots:,} ballots ({2 * ballots:,} picks) in {time.monotonic() - started:.1f} s (set-up, not measured)"
    )
    started = time.monotonic()
    services.poll_close(poll_id=poll.pk)
    closed = time.monotonic() - started
    started = time.monotonic()
    services.poll_results_publish(poll_id=poll.pk)
    published = time.monotonic() - started
    poll = Poll.objects.get(pk=poll.pk)
    assert poll.ballot_count == ballots + 1 and poll.results["ballots"] == ballots + 1
    print(f"close (grouped tally + Merkle root over {ballots + 1:,} ballots, tree stored): {closed:.2f} s")
    print(f"publish results: {published:.3f} s")
    print(f"tally + publish: {closed + published:.2f} s (goal <= 10 s)")
    # The Merkle step alone, as it was before the tree was stored and as it is now, run again
    # here one after the other so that both see the same load.
    started = time.monotonic()
    before_root = old_merkle_root(poll)
    before = time.monotonic() - started
    started = time.monotonic()
    now_root, _count = tally.merkle_root_of(poll)
    after = time.monotonic() - started
    assert before_root == now_root == poll.merkle_root
    print(
        f"  Merkle step of the close: before (ORM rows, Python sort, root only) {before:.2f} s; "
        f"now (server-sorted leaves, every level written to the tree file) {after:.2f} s"
    )
    bench_proof(poll, code)


def old_merkle_root(poll: object) -> str:
    """How the close computed the root before the tree was stored (for comparison only)."""
    import hashlib

    from gorod.voting.models import Ballot

    leaves = [bytes(leaf) for leaf in Ballot.objects.filter(poll=poll).values_list("leaf", flat=True)]
    leaves.sort()
    nodes = leaves
    while len(nodes) > 1:
        odd = nodes[-1] if len(nodes) % 2 else None
        nodes = [
            hashlib.sha256(b"\x01" + left + right).digest()
            for left, right in zip(nodes[0::2], nodes[1::2], strict=False)
        ]
        if odd is not None:
            nodes.append(odd)
    return nodes[0].hex()


def bench_proof(poll: object, code: str) -> None:
    """One inclusion proof through ``GET /api/v1/polls/<id>/receipts/<code>`` from the stored
    tree, against the way it was built before (every leaf read through the ORM, the whole tree
    rebuilt), measured in the same run so both see the same load."""
    from bisect import bisect_left

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from gorod.core import merkle
    from gorod.voting import merkle_tree, rules
    from gorod.voting.models import Ballot, Poll

    assert isinstance(poll, Poll)
    url = f"/api/v1/polls/{poll.pk}/receipts/{code}"
    client = Client()

    def endpoint() -> tuple[float, int, dict]:
        started = time.monotonic()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        took = time.monotonic() - started
        assert response.status_code == 200, response.content
        proof = response.json()
        steps = [merkle.ProofStep(bytes.fromhex(s["sibling"]), s["sibling_is_left"]) for s in proof["steps"]]
        assert merkle.verify_inclusion(bytes.fromhex(proof["leaf"]), steps, bytes.fromhex(poll.merkle_root))
        return took, len(captured.captured_queries), proof

    endpoint()  # warm imports and the connection
    stored = sorted(endpoint()[0] for _ in range(5))[2]
    _took, queries, proof = endpoint()
    # before: what the endpoint did for every proof (tally.inclusion_proof until the tree was kept)
    started = time.monotonic()
    with CaptureQueriesContext(connection) as captured:
        digest = rules.receipt_hash(code)
        ballot = Ballot.objects.filter(poll=poll, receipt_hash=digest).only("choices").first()
        assert ballot is not None
        leaf = merkle.leaf_hash(rules.leaf_bytes(digest, ballot.choices))
        leaves = [bytes(x) for x in Ballot.objects.filter(poll=poll).values_list("leaf", flat=True)]
        leaves.sort()
        steps = merkle.inclusion_proof(leaves, bisect_left(leaves, leaf))
    rebuilt = time.monotonic() - started
    assert [s.sibling.hex() for s in steps] == [s["sibling"] for s in proof["steps"]]
    # a lost tree file: the endpoint rebuilds it once (faster leaf read than before) and stores it
    merkle_tree.path_of(poll.pk, poll.merkle_root).unlink()
    lost = endpoint()[0]
    count = poll.ballot_count or 0
    print(
        f"inclusion proof over {count:,} leaves, endpoint with the stored tree: {stored * 1000:.1f} ms "
        f"(median of 5), {queries} SQL queries (poll + questions + options, the ballot), "
        f"{len(proof['steps'])} sibling nodes read"
    )
    print(
        f"  before (whole tree rebuilt per proof, as the endpoint did): {rebuilt:.2f} s, "
        f"{len(captured.captured_queries)} SQL queries after the poll's (the ballot, then every leaf); "
        f"ratio {rebuilt / stored:,.0f}x"
    )
    print(f"  a lost tree file, rebuilt and stored again by the endpoint: {lost:.2f} s (once)")


def main() -> None:
    global PORT
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=12)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--ballots", type=int, default=1_000_000)
    parser.add_argument("--residents", type=int, default=16_000, help="voters prepared for the HTTP part")
    parser.add_argument("--rounds", type=int, default=4, help="alternating bare/real rounds")
    parser.add_argument(
        "--no-points", action="store_true", help="polls award no points (the voting side alone)"
    )
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument("--skip-tally", action="store_true")
    parser.add_argument("--port", type=int, default=PORT, help="gunicorn's port on 127.0.0.1")
    parser.add_argument("--database", default=DB_NAME, help="scratch database (dropped and created)")
    args = parser.parse_args()
    PORT = args.port
    # The stored Merkle trees go to a scratch folder, not the checkout's media/.
    media = tempfile.mkdtemp(prefix="bench-voting-media-")
    os.environ["DJANGO_MEDIA_ROOT"] = media
    try:
        url = fresh_database("postgres", args.database)
        print(f"PostgreSQL, {os.cpu_count()} CPUs, gunicorn 4 sync workers, {args.clients} client processes")
        if not args.skip_http:
            bench_http(url, args.seconds, args.clients, args.residents, args.rounds, not args.no_points)
        if not args.skip_tally:
            bench_tally(args.ballots)
    finally:
        shutil.rmtree(media, ignore_errors=True)


if __name__ == "__main__":
    main()
