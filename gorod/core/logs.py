"""Structured logs: one JSON object per line, each carrying the request id of the request it
belongs to (if any), so that a request, its business actions and its errors can be joined.

``log_action("ballot_cast", poll=3)`` writes one line per business action; the request
middleware writes one line per request (logger ``gorod.request``).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
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
    (any collector that accepts a JSON body: a webhook, an alerting relay). Failures to report
    are swallowed: reporting must never break the request that failed."""

    def __init__(self, url: str = "", timeout: float = 2.0) -> None:
        super().__init__(level=logging.ERROR)
        self.url = url
        self.timeout = timeout
        self.setFormatter(JsonFormatter())

    def emit(self, record: logging.LogRecord) -> None:
        if not self.url:
            return
        import urllib.request

        try:
            body = self.format(record).encode()
            req = urllib.request.Request(  # noqa: S310 - an operator-configured http(s) URL
                self.url, data=body, headers={"Content-Type": "application/json"}, method="POST"
            )
            with urllib.request.urlopen(req, timeout=self.timeout):  # noqa: S310
                pass
        except Exception:  # never let reporting fail the caller
            self.handleError(record)
