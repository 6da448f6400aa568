"""Eight clients count requests against one rate limit at the same moment, each in its own process
with its own connection to the cache (run by tests/test_ratelimit_atomic.py, or by hand):

    GOROD_CACHE=db DATABASE_URL=sqlite:////tmp/race.sqlite3 .venv/bin/python tests/ratelimit_race.py
    GOROD_CACHE=redis GOROD_CACHE_LOCATION=redis://127.0.0.1:6379/9 .venv/bin/python tests/ratelimit_race.py

Prints one JSON line: how many requests each client made, how many the limit let through, and the
counter's final value. With atomic counting the limit lets through exactly ``limit`` requests
and the counter equals the number of requests.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

SCOPE, KIND, IDENT = "api_write", "account", "race"


def _client(barrier: Any, results: Any, requests: int, limit: int, window: int, now: float) -> None:
    from gorod.accounts import ratelimit

    barrier.wait()  # all eight start counting together
    allowed = sum(ratelimit._hit(SCOPE, KIND, IDENT, limit, window, now) is None for _ in range(requests))
    results.put(allowed)


def main() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connections

    clients = int(os.environ.get("RACE_CLIENTS", "8"))
    requests = int(os.environ.get("RACE_REQUESTS", "100"))
    limit = int(os.environ.get("RACE_LIMIT", "300"))
    window = 3600
    if "DatabaseCache" in settings.CACHES["default"]["BACKEND"]:
        call_command("createcachetable", verbosity=0)
    cache.clear()
    connections.close_all()
    now = time.time()
    # Forked after closing every connection: each client opens its own database or Redis
    # connection (redis-py's pool notices the fork), as a gunicorn worker would.
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(clients), context.Queue()
    workers = [
        context.Process(target=_client, args=(barrier, results, requests, limit, window, now))
        for _ in range(clients)
    ]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    allowed = [results.get(timeout=300) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
    elapsed = time.perf_counter() - started
    counter = cache.get(f"rl:{SCOPE}:{KIND}:{IDENT}:{int(now // window)}")
    print(
        json.dumps(
            {
                "backend": settings.CACHES["default"]["BACKEND"],
                "database": connections["default"].vendor,
                "clients": clients,
                "requests": clients * requests,
                "limit": limit,
                "allowed": sum(allowed),
                "counter": counter,
                "seconds": round(elapsed, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
