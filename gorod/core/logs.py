"""Structured logs: one JSON object per line, each carrying the request id of the request it
belongs to (if any), so that a request, its business actions and its errors can be joined.

``log_action("ballot_cast", poll=3)`` writes one line per business action; the request
middleware writes one line per request (logger ``gorod.request``).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import queue
import threading
import time
import uuid
from contextvars import ContextVar
from typing import Any

current_request_id: ContextVar[str | None] = ContextVar("gorod_request_id", default=None)

action_log = logging.getLogger("gorod.action")

# Attributes every LogRecord has; anything else was passed through ``extra=`` and is a field.
_RECORD_ATTRIBUTES = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


def new_request_id() -> str:
    return uuid.uuid4().hex


def log_action(action: str, **fields: Any) -> None:
    """One JSON line for a business action (what happened, to which ids), joined to the request."""
    action_log.info(action, extra={"action": action, "request_id": current_request_id.get(), **fields})


class JsonFormatter(logging.Formatter):
    """Render a record as one line of JSON: time, level, logger, message, request id, extras."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None) or current_request_id.get()
        if request_id:
            line["request_id"] = request_id
        for key, value in vars(record).items():
            if key not in _RECORD_ATTRIBUTES and key not in line and not key.startswith("_"):
                line[key] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=False)


class ErrorReportHandler(logging.Handler):
    """Optional error reporting: POSTs each ERROR record as JSON to ``GOROD_ERROR_REPORT_URL``
    (any collector that accepts a JSON body: a webhook, an alerting relay).

    Off the request path: ``emit`` only formats the record and puts it on a bounded queue; one
    daemon thread per process posts from it, so a slow or dead collector never slows the request
    that failed. When the queue is full (the collector is down during an error storm) new
    reports are dropped and counted rather than piling up in memory. Failures to report are
    swallowed: reporting must never break anything."""

    def __init__(self, url: str = "", timeout: float = 2.0, capacity: int = 1000) -> None:
        super().__init__(level=logging.ERROR)
        self.url = url
        self.timeout = timeout
        self.setFormatter(JsonFormatter())
        self.dropped = 0
        self._queue: queue.Queue[bytes] = queue.Queue(maxsize=capacity)
        self._sender: threading.Thread | None = None
        self._sender_lock = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        if not self.url:
            return
        try:
            body = self.format(record).encode()
        except Exception:
            self.handleError(record)
            return
        self._start_sender()
        try:
            self._queue.put_nowait(body)
        except queue.Full:
            self.dropped += 1

    def _start_sender(self) -> None:
        if self._sender is not None and self._sender.is_alive():
            return
        with self._sender_lock:  # one sender per process (a forked worker starts its own)
            if self._sender is None or not self._sender.is_alive():
                self._sender = threading.Thread(target=self._send_forever, name="error-report", daemon=True)
                self._sender.start()

    def _send_forever(self) -> None:
        while True:
            body = self._queue.get()
            try:
                self._post(body)
            except Exception:  # noqa: S110 - the collector is unreachable; the log line stays
                pass
            finally:
                self._queue.task_done()

    def _post(self, body: bytes) -> None:
        import urllib.request

        req = urllib.request.Request(  # noqa: S310 - an operator-configured http(s) URL
            self.url, data=body, headers={"Content-Type": "application/json"}, method="POST"
        )
        with urllib.request.urlopen(req, timeout=self.timeout):  # noqa: S310
            pass

    def drain(self, timeout: float = 5.0) -> bool:
        """Wait until every queued report was posted (or given up); True when the queue is empty."""
        deadline = time.monotonic() + timeout
        while self._queue.unfinished_tasks and time.monotonic() < deadline:
            time.sleep(0.01)
        return not self._queue.unfinished_tasks
