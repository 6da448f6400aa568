"""Shared test fixtures. Each run gets a fresh test database (pytest-django creates it) and
happens at one random instant of city time (tests/clock.py), printed in the header."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.db import connection

from tests import clock

_session_clock: time_machine.travel | None = None
# test_api_fuzz imports config.wsgi's application in-process, before any test database exists:
# the worker warm-up's requests are for real servers (tests/test_warmup.py calls it itself).
os.environ.setdefault("GOROD_WARM_UP", "0")


def pytest_configure(config: Any) -> None:
    # The controller chooses the instant and exports it before xdist starts its workers, which
    # inherit the environment; a worker never chooses one of its own.
    global _session_clock
    if hasattr(config, "workerinput") and not os.environ.get(clock.ENV):
        raise pytest.UsageError(f"xdist worker started without {clock.ENV}")
    _session_clock = time_machine.travel(clock.session_instant(), tick=True)
    _session_clock.start()


def pytest_unconfigure(config: Any) -> None:
    global _session_clock
    if _session_clock is not None:
        _session_clock.stop()
        _session_clock = None


def pytest_report_header(config: Any) -> str:
    return clock.describe(clock.parse(os.environ[clock.ENV]))


def pytest_sessionstart(session: Any) -> None:
    # -q (the default addopts) hides the header; the run's instant is printed anyway.
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None and not reporter.showheader and not hasattr(session.config, "workerinput"):
        reporter.write_line(pytest_report_header(session.config))


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int) -> None:
    if exitstatus:
        terminalreporter.write_line(pytest_report_header(terminalreporter.config))


@pytest.fixture(autouse=True)
def _test_settings(settings: Any, tmp_path: Any) -> None:
    # Tasks run at once in tests (on commit, like production's worker would), e-mail is kept in
    # memory, uploads go to a temporary folder, sign-in throttling stays on but is resettable.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.OPEN_DATA_ROOT = tmp_path / "media" / "opendata"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Rate-limit counts live in the (per-process) cache: each test starts from zero.
    from django.core.cache import cache

    cache.clear()
    # Public pages kept for signed-out visitors and the shared parts of residents' pages live in the
    # process too: each test renders afresh.
    from gorod.core.cache import public_cache, public_responses, shared_cache

    public_cache.clear()
    public_responses.clear()
    shared_cache.clear()
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # A page requested in Russian leaves Russian active in the worker's thread (the locale
    # middleware activates, nothing deactivates): each test starts without one, or a content
    # text ("Benches") would read in the previous test's language.
    from django.utils import translation

    translation.deactivate()


@pytest.fixture
def resident(db: Any) -> Any:
    from gorod.accounts.tests.factories import ResidentFactory

    return ResidentFactory(level="standard")


@pytest.fixture
def full_resident(db: Any) -> Any:
    from gorod.accounts.tests.factories import ResidentFactory

    return ResidentFactory(level="full")


@pytest.fixture
def api_client(resident: Any) -> Any:
    """A Django test client that speaks to /api/v1 with the resident's bearer token."""
    from django.test import Client

    from gorod.accounts import services

    _token, plain = services.api_token_issue(resident=resident, name="tests")
    return Client(HTTP_AUTHORIZATION=f"Bearer {plain}")


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


postgres_only = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="needs PostgreSQL for real concurrency",
)


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture
def browser_page(live_server: Any, settings: Any) -> Iterator[Any]:
    """A Playwright page in Debian's chromium, pointed at the live test server."""
    path = chromium_path()
    if path is None:
        pytest.skip("Debian's chromium is not installed (make browser)")
    # The server runs at the test clock, chromium at the real one: cookies carry no expiry date
    # (which chromium would judge by its own clock); the server still expires sessions by its own.
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.CSRF_COOKIE_AGE = None
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=path,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        context = browser.new_context(base_url=live_server.url, locale="en-GB")
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            yield page
        finally:
            context.close()
            browser.close()


def pytest_collection_modifyitems(items: list[Any]) -> None:
    """Every transactional test restores the rows data migrations made (programmes, earning
    rules, ...) instead of leaving an empty database behind: a flush without serialized
    rollback would also recreate content types and break the next serialized test."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is not None and marker.kwargs.get("transaction"):
            kwargs = {**marker.kwargs, "serialized_rollback": True}
            item.add_marker(pytest.mark.django_db(**kwargs), append=False)
    # The suite's long pole (schemathesis against a real server, minutes in a database of its own)
    # goes first so that a worker starts it while the others share out the rest; a stable sort,
    # so every other test keeps its place (moving the in-process transactional fuzz test once
    # emptied the database of the tests after it).
    items.sort(key=lambda item: item.get_closest_marker("run_first") is None)


@pytest.fixture
def wsgi_in_test() -> Iterator[None]:
    """Call a WSGI application directly inside a test's transaction. Django closes the database
    connection at the end of each request (``close_old_connections``). The test client unhooks
    that, and a bare handler must do the same, or the test's transaction is closed under it."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
