"""Prometheus metrics of the web process: requests per endpoint (by URL pattern, never by raw
path, so ids do not explode the label space) and their latencies.

With several gunicorn workers set ``PROMETHEUS_MULTIPROC_DIR`` to an empty, writable folder:
prometheus-client then keeps each worker's samples there and ``/metrics`` adds them up.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import REGISTRY, Collector

REQUESTS = Counter(
    "gorod_http_requests_total",
    "HTTP requests answered, by endpoint (URL pattern), method and status code.",
    ["endpoint", "method", "status"],
)
LATENCY = Histogram(
    "gorod_http_request_duration_seconds",
    "Time from the request reaching Django to the response leaving it, by endpoint.",
    ["endpoint", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)


class ScrapeTimeCollector(Collector):
    """Gauges read from the database when Prometheus scrapes (queue depth, ledger totals)."""

    def __init__(self, sources: Iterable[Callable[[], Iterable[Metric]]]) -> None:
        self.sources = list(sources)

    def collect(self) -> Iterable[Metric]:
        for source in self.sources:
            yield from source()


def render(sources: Iterable[Callable[[], Iterable[Metric]]]) -> bytes:
    """The exposition text: this process's (or all workers') request metrics, then the gauges."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
        body = generate_latest(registry)
    else:
        body = generate_latest(REGISTRY)
    gauges = CollectorRegistry()
    gauges.register(ScrapeTimeCollector(sources))
    return body + generate_latest(gauges)
