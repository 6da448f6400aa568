"""Issue 25, operations: 503s logged once at WARNING, 500s once; error reports posted off the
request path; signed-in pages never cached by others; health answers on plain http."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import path

from gorod.core.logs import ErrorReportHandler
from tests.test_deploy_settings import production_env


def page_outage(request):
    raise OperationalError("server closed the connection unexpectedly")


def page_bug(request):
    raise RuntimeError("a bug, on purpose")


from config.urls import urlpatterns as _real  # noqa: E402

urlpatterns = [path("outage", page_outage), path("bug", page_bug), *_real]
handler500 = "config.ops.server_error"

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def failing_urls(settings):
    settings.ROOT_URLCONF = __name__
    settings.DEBUG = False


def _problems(caplog) -> list[tuple[str, int]]:
    """Every log record at WARNING or above except the one access line per request."""
    return [
        (r.name, r.levelno)
        for r in caplog.records
        if r.levelno >= logging.WARNING and r.name != "gorod.request"
    ]


@pytest.mark.django_db
def test_page_503_is_one_warning_and_page_500_one_error(failing_urls, caplog):
    client = Client(raise_request_exception=False)
    caplog.set_level(logging.INFO)
    assert client.get("/outage").status_code == 503
    assert _problems(caplog) == [("gorod.errors", logging.WARNING)]
    caplog.clear()
    assert client.get("/bug").status_code == 500
    assert [level for _name, level in _problems(caplog)] == [logging.ERROR]


@pytest.mark.django_db
def test_api_503_is_one_warning_and_api_500_one_error(api_client, monkeypatch, caplog):
    from gorod.accounts import api as accounts_api

    def outage(**fields):
        raise OperationalError("the database system is shutting down")

    def bug(**fields):
        raise RuntimeError("a bug, on purpose")

    caplog.set_level(logging.INFO)
    monkeypatch.setattr(accounts_api, "MeOut", outage)
    assert api_client.get("/api/v1/me").status_code == 503
    assert _problems(caplog) == [("gorod.api", logging.WARNING)]
    caplog.clear()
    monkeypatch.setattr(accounts_api, "MeOut", bug)
    assert api_client.get("/api/v1/me").status_code == 500
    assert _problems(caplog) == [("gorod.api", logging.ERROR)]


def test_error_report_is_posted_off_the_request_path():
    received: list[dict] = []

    class SlowSink(BaseHTTPRequestHandler):
        def do_POST(self):
            time.sleep(1.0)  # a slow collector
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), SlowSink)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    handler = ErrorReportHandler(url=f"http://127.0.0.1:{server.server_port}/", timeout=5)
    logger = logging.getLogger("gorod.test.slow_report")
    logger.addHandler(handler)
    try:
        started = time.perf_counter()
        logger.error("it broke", extra={"request_id": "slow-1"})
        assert time.perf_counter() - started < 0.5  # the request that failed does not wait
        assert handler.drain(timeout=10)
    finally:
        logger.removeHandler(handler)
        server.shutdown()
    assert [r["request_id"] for r in received] == ["slow-1"]


@pytest.mark.django_db
def test_signed_in_pages_are_private_no_store(client, resident):
    assert "no-store" not in client.get("/").get("Cache-Control", "")  # signed out: may be cached
    client.force_login(resident)
    for url in ("/", "/notifications/", "/privacy/"):
        cache_control = client.get(url)["Cache-Control"]
        assert "private" in cache_control and "no-store" in cache_control, url


def test_production_health_on_plain_http_and_language_cookie_like_the_session(tmp_path):
    code = (
        "import django, json; django.setup()\n"
        "from django.conf import settings as s\n"
        "from django.test import Client\n"
        "c = Client(HTTP_HOST='gorod.example.city')\n"
        "out = {'healthz': c.get('/healthz').status_code, 'readyz': c.get('/readyz').status_code,\n"
        "       'home': c.get('/').status_code}\n"
        "r = Client(HTTP_HOST='gorod.example.city').post('/i18n/setlang/', {'language': 'ru'}, secure=True)\n"
        "m = r.cookies[s.LANGUAGE_COOKIE_NAME]\n"
        "out['cookie'] = [bool(m['secure']), m['samesite'], bool(m['httponly'])]\n"
        "out['session'] = [s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_SAMESITE]\n"
        "print(json.dumps(out))\n"
    )
    env = {**production_env(), "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"}
    del env["GOROD_CACHE"]  # no cache table in an empty database
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["healthz"] == 200
    assert out["readyz"] in (200, 503)  # an unmigrated database is not ready, but no redirect
    assert out["home"] == 301  # everything else still goes to https
    assert out["cookie"] == [True, "Lax", True]
    assert out["session"] == [True, "Lax"]
