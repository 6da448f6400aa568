"""Cost of the pages residents read most, as a signed-in resident sees them: SQL statements and
time per request through Django's test client (no network, no gunicorn), production settings.

    .venv/bin/python bench/pages.py [--engine postgres|sqlite] [--repeat 200]

For each page it prints the number of SQL statements of one request and the median and p90
time of ``--repeat`` requests after a warm-up, signed in (session for site pages, bearer token
for API reads, as the apps send it) and signed out. With GOROD_PUBLIC_CACHE_SECONDS=0 nothing is
kept (neither gorod.core.cache.public_cache nor gorod.core.cache.shared_cache): every request reads all it shows.
"""

from __future__ import annotations

import argparse
import io
import os
import secrets
import statistics
import tempfile
import time

os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
os.environ.setdefault("GOROD_BALLOT_DEMO_CUSTODY", "1")  # stand-in trustees
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("GOROD_RATE_LIMITS_ENABLED", "0")
os.environ.setdefault("GOROD_LOG_LEVEL", "WARNING")
os.environ.setdefault("DJANGO_STATIC_ROOT", tempfile.mkdtemp(prefix="gorod-bench-static-"))

from _setup import fresh_database, percentile

PAGES = ["/", "/voting/", "/rewards/", "/api/v1/polls", "/api/v1/rewards/catalogue"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    fresh_database(args.engine, "gorod_bench_pages")
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from gorod.accounts.models import Resident
    from gorod.accounts.services import api_token_issue

    call_command("collectstatic", "--noinput", verbosity=0)
    call_command("seed_demo", verbosity=0, stdout=io.StringIO())
    anna = Resident.objects.get(username="anna")
    token = api_token_issue(resident=anna, name="bench")[1]
    site = Client(HTTP_HOST="127.0.0.1")
    site.force_login(anna)
    anonymous = Client(HTTP_HOST="127.0.0.1")
    statements: list[str] = []

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        statements.append(sql)
        return execute(sql, params, many, context)

    print(f"{args.engine}: {args.repeat} requests per page after 20 of warm-up, as 'anna' of the demo city")
    print(f"{'page':<28}{'who':<12}{'SQL':>5}{'p50 ms':>9}{'p90 ms':>9}")
    for who in ("signed-in", "signed-out"):
        for path in PAGES:
            client = anonymous if who == "signed-out" else site
            extra = (
                {"HTTP_AUTHORIZATION": f"Bearer {token}"}
                if path.startswith("/api/") and who == "signed-in"
                else {}
            )
            for _ in range(20):
                assert client.get(path, **extra).status_code == 200
            statements.clear()
            with connection.execute_wrapper(count):
                client.get(path, **extra)
            times = []
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                client.get(path, **extra)
                times.append(time.perf_counter() - t0)
            print(
                f"{path:<28}{who:<12}{len(statements):>5}{statistics.median(times) * 1000:>9.2f}"
                f"{percentile(times, 90) * 1000:>9.2f}"
            )


if __name__ == "__main__":
    main()
