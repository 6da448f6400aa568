"""gorod against an external bare baseline, both driven by ``wrk`` (a compiled load generator).

The baseline is bench/baseline/: a minimal Django + django-ninja project run by the same
interpreter (so the same Django and ninja), no gorod settings or middleware, one endpoint doing
one INSERT and one answering a cached GET. Both servers are started with the same gunicorn command
line (4 sync workers, 127.0.0.1, ``--log-level warning``) and production-like settings for gorod
(as bench/load.py: DEBUG off, persistent connections, prepared statements, rate limits and axes
off). Pairs are driven alternately, round after round, so that both sides of a ratio see the same
load from the rest of the machine:

    ballot     POST /api/v1/polls/<open poll>/ballot     (bearer token, a new resident each)
      vs bare  POST /insert                              (one row)
    results    GET  /api/v1/polls/<published poll>/results
      vs bare  GET  /cached                              (Django's local-memory cache)
    live       GET  /api/v1/polls/<open poll with live results>/results, by a resident who voted
                    in it (bearer token), against the same bare cached GET

Each figure is ``wrk -c <connections> -t 2 -d <seconds>``'s requests per second; every
non-2xx answer fails the run. Printed per round with the ratio, then the median ratio.

What the latency columns measure, honestly: Debian's wrk 4.1 is closed-loop. Each of the
``connections`` sends its next request when the last answer arrives, so the figures are the
time from sending to the answer at saturation, not from when a user would have sent it
(coordinated omission; wrk2's ``-R`` is not packaged here). They compare the two sides; they
are not a user's latency. bench/load.py and bench/ledger.py measure from the schedule.

    .venv/bin/python bench/wrk_compare.py [--rounds 5] [--seconds 10] [--connections 8]

Needs ``wrk`` (``apt-get install wrk``) and PostgreSQL (BENCH_PG_URL, default
postgres://postgres@127.0.0.1:5432/postgres); uses the databases ``bench_wrk_gorod`` and
``bench_wrk_bare`` (dropped and created; ``--databases`` changes the prefix).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import PG_ADMIN_URL, ROOT, database_url, fresh_database, production_env

BASELINE = ROOT / "bench" / "baseline"

BALLOT_LUA = """
-- A new resident per ballot: each wrk thread takes every n-th token of the file.
local counter, threads = 0, {}
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end
function init(args)
  tokens, next_token = {}, 1
  local i = 0
  for line in io.lines(os.getenv("WRK_TOKENS")) do
    if i % tonumber(os.getenv("WRK_THREADS")) == id then table.insert(tokens, line) end
    i = i + 1
  end
  body = os.getenv("WRK_BODY")
end
function request()
  local token = tokens[next_token]
  if token == nil then error("out of voters: raise --residents") end
  next_token = next_token + 1
  return wrk.format("POST", nil, {["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json"}, body)
end
"""

INSERT_LUA = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"payload": "one row of the bare baseline"}'
"""

THREADS = 2


def uptime() -> str:
    return Path("/proc/loadavg").read_text().split(" ", 3)[:3].__str__()


def start_gunicorn(module: str, cwd: Path, port: int, env: dict[str, str], probe: str) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            module,
            "--workers",
            "4",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=cwd,
        env=env,
        start_new_session=True,
    )
    for _ in range(120):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", probe)
            conn.getresponse().read()
            return process
        except OSError:
            time.sleep(0.5)
    process.kill()
    raise SystemExit(f"gunicorn ({module}) did not start")


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


def wrk(
    url: str, seconds: float, connections: int, script: Path | None, env: dict[str, str], header: str = ""
) -> dict:
    command = ["wrk", "-t", str(THREADS), "-c", str(connections), "-d", f"{round(seconds)}s", "--latency"]
    if header:
        command += ["-H", header]
    if script is not None:
        command += ["-s", str(script)]
    out = subprocess.run(
        [*command, url], capture_output=True, text=True, env={**os.environ, **env}, check=True
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    if bad or (errors and re.search(r"read [1-9]|write [1-9]|timeout [1-9]", errors.group(1))):
        raise SystemExit(f"{url}: failed requests\n{out}")

    def ms(label: str) -> float:
        match = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.MULTILINE)
        value, unit = float(match.group(1)), match.group(2)  # type: ignore[union-attr]
        return value * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    return {"rate": rate, "p50": ms("50"), "p99": ms("99")}


def prepare_gorod(residents: int) -> dict:
    """Residents with tokens, an open poll to vote in and a published one to read."""
    from voting import prepare

    from gorod.accounts.models import ApiToken, Resident
    from gorod.voting import services
    from gorod.voting.rules import Answer

    data = prepare(residents=residents, points=True)
    published = data["bare"]  # prepare's second poll: a few ballots, closed and published
    (q1, o1), (q2, o2) = data["shapes"][published]
    for resident_id, _district, _token in data["people"][-20:]:
        services.ballot_cast(
            poll_id=published,
            resident=Resident.objects.get(pk=resident_id),
            answers=[
                Answer(question_id=q1, option_ids=(o1[0],)),
                Answer(question_id=q2, option_ids=(o2[1],)),
            ],
        )
    services.poll_close(poll_id=published)
    services.poll_results_publish(poll_id=published)
    live = live_poll(data["people"][-20:])
    # A voter's app reads the poll before voting, which notes the token's use (at most once a
    # minute); done here for all, as the baseline has no auth to note.
    from django.utils import timezone

    ApiToken.objects.update(last_used_at=timezone.now() + __import__("datetime").timedelta(hours=1))
    return {
        "tokens": [t for _pk, _d, t in data["people"][:-20]],
        "open": data["real"],
        "published": published,
        "live": live,
        "voter_token": data["people"][-1][2],
        "shape": data["shapes"][data["real"]],
    }


def live_poll(people: list) -> int:
    """An open poll with live results, voted in by these residents and mixed: its results are
    read by one of them (a signed-in reader who has voted, by bearer token)."""
    import datetime as dt

    from django.db import transaction
    from django.utils import timezone

    from gorod.accounts.models import Resident
    from gorod.voting import mix, services
    from gorod.voting.models import Question
    from gorod.voting.rules import Answer

    now = timezone.now()
    poll = services.poll_create(
        title="Live results",
        opens_at=now - dt.timedelta(minutes=5),
        closes_at=now + dt.timedelta(days=1),
        live_results=True,
        questions=[services.QuestionSpec(text="Park", options=["A", "B", "C"])],
    )
    services.poll_open(poll_id=poll.pk)
    question = Question.objects.prefetch_related("options").get(poll=poll)
    options = [o.pk for o in question.options.all()]
    for n, (resident_id, _district, _token) in enumerate(people):
        services.ballot_cast(
            poll_id=poll.pk,
            resident=Resident.objects.get(pk=resident_id),
            answers=[Answer(question_id=question.pk, option_ids=(options[n % 3],))],
        )
    with transaction.atomic():
        assert mix.ballots_mix(poll_id=poll.pk) == len(people)
    return poll.pk


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--residents", type=int, default=40_000)
    parser.add_argument("--port", type=int, default=8765, help="gorod's port; the baseline's is the next")
    parser.add_argument(
        "--databases", default="bench_wrk", help="name prefix of the two databases (runs side by side differ)"
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk")
    print(f"load average at start: {uptime()}")
    media = tempfile.mkdtemp(prefix="bench-wrk-media-")
    os.environ["DJANGO_MEDIA_ROOT"] = media
    os.environ.setdefault("GOROD_BALLOT_DEMO_CUSTODY", "1")  # stand-in trustees
    gorod_url = fresh_database("postgres", f"{args.databases}_gorod")
    data = prepare_gorod(args.residents)
    from django.db import connections

    connections.close_all()

    import psycopg

    with psycopg.connect(PG_ADMIN_URL.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{args.databases}_bare" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{args.databases}_bare"')
    bare_url = database_url("postgres", f"{args.databases}_bare")
    bare_env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GOROD_"))}
    bare_env["DATABASE_URL"] = bare_url
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v", "0"], cwd=BASELINE, env=bare_env, check=True
    )

    gorod_env = production_env(
        DATABASE_URL=gorod_url,
        # the API serves no static files; an existing folder quiets whitenoise, and so no page is
        # warmed up either (config/warmup.py): its static files are not collected
        DJANGO_STATIC_ROOT=media,
        GOROD_WARM_UP_PATHS="/api/v1/polls",
    )
    scratch = Path(tempfile.mkdtemp(prefix="bench-wrk-"))
    ballot_lua, insert_lua = scratch / "ballot.lua", scratch / "insert.lua"
    ballot_lua.write_text(BALLOT_LUA)
    insert_lua.write_text(INSERT_LUA)
    (q1, o1), (q2, o2) = data["shape"]
    body = json.dumps(
        {"answers": [{"question_id": q1, "option_ids": [o1[0]]}, {"question_id": q2, "option_ids": [o2[0]]}]}
    )
    tokens = list(data["tokens"])

    def voters(count: int) -> dict[str, str]:
        path = scratch / f"tokens-{len(tokens)}"
        path.write_text("\n".join(tokens.pop() for _ in range(min(count, len(tokens)))) + "\n")
        return {"WRK_TOKENS": str(path), "WRK_THREADS": str(THREADS), "WRK_BODY": body}

    # Each round's voters are used up (a token votes once), so a round gets four times what the
    # fastest ballot figure so far would send: 1,500/s (the warm-up's) overran 40,000 residents
    # in round 4 while the machine managed 60/s.
    per_round = int(args.seconds * 1500)
    g_port, b_port = args.port, args.port + 1
    gorod = start_gunicorn("config.wsgi", ROOT, g_port, gorod_env, "/readyz")
    bare = start_gunicorn("bare.wsgi", BASELINE, b_port, bare_env, "/cached")
    ballot_url = f"http://127.0.0.1:{g_port}/api/v1/polls/{data['open']}/ballot"
    results_url = f"http://127.0.0.1:{g_port}/api/v1/polls/{data['published']}/results"
    live_url = f"http://127.0.0.1:{g_port}/api/v1/polls/{data['live']}/results"
    voter = f"Authorization: Bearer {data['voter_token']}"
    insert_url, cached_url = f"http://127.0.0.1:{b_port}/insert", f"http://127.0.0.1:{b_port}/cached"
    c = args.connections
    try:
        # warm every worker of both servers on every path (imports, connections, caches)
        wrk(insert_url, 2, c, insert_lua, {})
        warm = wrk(ballot_url, 2, c, ballot_lua, voters(per_round // 4))
        fastest = warm["rate"]
        wrk(cached_url, 2, c, None, {})
        wrk(results_url, 2, c, None, {})
        wrk(live_url, 2, c, None, {}, voter)
        rows: list[tuple[dict, dict, dict, dict, dict]] = []
        print(
            f"wrk -t {THREADS} -c {c} -d {args.seconds:g}s per figure; gunicorn 4 sync workers each; "
            "rate in requests/s; p50/p99 in ms from send (closed loop)"
        )
        print(
            f"{'round':>5} | {'ballot':>7} {'insert':>7} {'ratio':>5} | {'results':>7} {'cached':>7} {'ratio':>5}"
            f" | {'live':>7} {'ratio':>5} | ballot p50/p99  insert p50/p99 | results p50/p99  cached p50/p99"
            " | live p50/p99"
        )
        for r in range(args.rounds):
            # the order flips every round so that neither side always runs first
            if r % 2 == 0:
                ins = wrk(insert_url, args.seconds, c, insert_lua, {})
                bal = wrk(
                    ballot_url, args.seconds, c, ballot_lua, voters(int(fastest * args.seconds * 4) + 500)
                )
                cac = wrk(cached_url, args.seconds, c, None, {})
                res = wrk(results_url, args.seconds, c, None, {})
                liv = wrk(live_url, args.seconds, c, None, {}, voter)
            else:
                liv = wrk(live_url, args.seconds, c, None, {}, voter)
                res = wrk(results_url, args.seconds, c, None, {})
                cac = wrk(cached_url, args.seconds, c, None, {})
                bal = wrk(
                    ballot_url, args.seconds, c, ballot_lua, voters(int(fastest * args.seconds * 4) + 500)
                )
                ins = wrk(insert_url, args.seconds, c, insert_lua, {})
            rows.append((bal, ins, res, cac, liv))
            fastest = max(fastest, bal["rate"])
            print(
                f"{r + 1:>5} | {bal['rate']:7.0f} {ins['rate']:7.0f} {bal['rate'] / ins['rate']:5.2f} |"
                f" {res['rate']:7.0f} {cac['rate']:7.0f} {res['rate'] / cac['rate']:5.2f} |"
                f" {liv['rate']:7.0f} {liv['rate'] / cac['rate']:5.2f} |"
                f" {bal['p50']:6.1f}/{bal['p99']:<6.1f} {ins['p50']:6.1f}/{ins['p99']:<6.1f} |"
                f" {res['p50']:6.1f}/{res['p99']:<6.1f} {cac['p50']:6.1f}/{cac['p99']:<6.1f} |"
                f" {liv['p50']:6.1f}/{liv['p99']:<6.1f}",
                flush=True,
            )
    finally:
        stop(gorod)
        stop(bare)
        shutil.rmtree(media, ignore_errors=True)
        shutil.rmtree(scratch, ignore_errors=True)
    ballot = statistics.median(b["rate"] / i["rate"] for b, i, _r, _c, _l in rows)
    results = statistics.median(r["rate"] / c_["rate"] for _b, _i, r, c_, _l in rows)
    live = statistics.median(lv["rate"] / c_["rate"] for _b, _i, _r, c_, lv in rows)
    print(f"median ratio ballot / bare insert:     {ballot:.2f} (goal >= 0.7)")
    print(f"median ratio results / bare cached GET: {results:.2f} (goal >= 0.7)")
    print(f"median ratio live results (a voter) / bare cached GET: {live:.2f} (goal >= 0.7)")
    print(f"load average at end: {uptime()}")


if __name__ == "__main__":
    main()
