"""gorod.core.db.replicas: which reads of a request may go to the replica, and the pin that keeps
a client who wrote on the primary (read-your-writes). The middleware and the router are the real
ones; the "view" records where the router would send a read of a poll, a session and a token."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from gorod.core.db.replicas import PIN_COOKIE, ReplicaReadsMiddleware, ReplicaRouter

ROOT = Path(__file__).resolve().parents[3]
router = ReplicaRouter()
# core may not import the apps above it (lint-imports): their models by label
Poll = apps.get_model("voting", "Poll")
ApiToken = apps.get_model("accounts", "ApiToken")


class View:
    """Where each read of the request would go."""

    def __init__(self) -> None:
        self.reads: dict[str, str | None] = {}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        self.reads = {
            "poll": router.db_for_read(Poll),
            "session": router.db_for_read(Session),
            "token": router.db_for_read(ApiToken),
        }
        with transaction.atomic():
            self.reads["poll in a transaction"] = router.db_for_read(Poll)
        return HttpResponse("ok", status=201 if request.method == "POST" else 200)


@pytest.fixture
def replica(settings):
    settings.GOROD_READ_REPLICA = "replica"
    settings.GOROD_PRIMARY_PIN_SECONDS = 15
    cache.clear()


def through(request: HttpRequest) -> tuple[View, HttpResponse]:
    view = View()
    response = ReplicaReadsMiddleware(view)(request)
    return view, response


@pytest.mark.django_db(transaction=True)
def test_off_by_default_every_read_on_the_primary():
    view, _ = through(RequestFactory().get("/voting/"))
    assert set(view.reads.values()) == {"default"}
    assert router.db_for_write(Poll) == "default"


@pytest.mark.django_db(transaction=True)
def test_a_public_page_reads_the_replica_but_sessions_tokens_and_transactions_stay_on_the_primary(replica):
    view, _ = through(RequestFactory().get("/voting/"))
    assert view.reads == {
        "poll": "replica",
        "session": "default",
        "token": "default",
        "poll in a transaction": "default",
    }
    # outside a request (a worker, a command) nothing is marked: the primary
    assert router.db_for_read(Poll) == "default"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("path", ["/home/", "/api/v1/points/statement", "/voting/polls/1/", "/console/"])
def test_other_pages_read_the_primary(replica, path):
    view, _ = through(RequestFactory().get(path))
    assert view.reads["poll"] == "default"


@pytest.mark.django_db(transaction=True)
def test_a_browser_that_wrote_is_pinned_to_the_primary_by_a_short_cookie(replica):
    _, response = through(RequestFactory().post("/voting/polls/1/vote/"))
    pin = response.cookies[PIN_COOKIE]
    assert pin["max-age"] == 15 and pin["httponly"]
    factory = RequestFactory()
    factory.cookies[PIN_COOKIE] = "1"
    view, _ = through(factory.get("/voting/"))
    assert view.reads["poll"] == "default"


@pytest.mark.django_db(transaction=True)
def test_an_app_that_wrote_is_pinned_by_its_token_in_the_shared_cache(replica):
    writer = {"HTTP_AUTHORIZATION": "Bearer gorod_writer"}
    through(RequestFactory().post("/api/v1/polls/1/ballot", **writer))
    view, _ = through(RequestFactory().get("/api/v1/polls", **writer))
    assert view.reads["poll"] == "default"
    other, _ = through(RequestFactory().get("/api/v1/polls", HTTP_AUTHORIZATION="Bearer gorod_reader"))
    assert other.reads["poll"] == "replica"
    cache.clear()  # the pin's time is up
    later, _ = through(RequestFactory().get("/api/v1/polls", **writer))
    assert later.reads["poll"] == "replica"


@pytest.mark.django_db(transaction=True)
def test_a_refused_write_pins_too(replica):
    """A refusal may still have written (an audit row, a counter): the client is pinned anyway."""

    def refuse(request: HttpRequest) -> HttpResponse:
        return HttpResponse(status=409)

    response = ReplicaReadsMiddleware(refuse)(RequestFactory().post("/api/v1/polls/1/ballot"))
    assert PIN_COOKIE in response.cookies


def settings_with(**env: str) -> str:
    code = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings'); django.setup();"
        "from django.conf import settings as s;"
        "print(sorted(s.DATABASES), s.DATABASE_ROUTERS, s.GOROD_READ_REPLICA,"
        " 'gorod.core.db.replicas.ReplicaReadsMiddleware' in s.MIDDLEWARE)"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DATABASE")}
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def test_settings_add_the_replica_only_when_its_url_is_set():
    assert settings_with() == "['default'] [] None False"
    on = settings_with(
        DATABASE_URL="postgres://u@127.0.0.1:1/gorod", DATABASE_REPLICA_URL="postgres://u@127.0.0.1:2/gorod"
    )
    assert on == "['default', 'replica'] ['gorod.core.db.replicas.ReplicaRouter'] replica True"


@pytest.mark.django_db(transaction=True)
def test_a_write_refused_by_a_server_in_recovery_is_an_outage_not_a_bug():
    """During a failover a write may reach PostgreSQL restarted read-only for a second: answered
    503 like a lost connection (gorod.core.errors), not 500. A read-only transaction refuses the
    same way a standby does (SQLSTATE 25006)."""
    from django.db import DatabaseError, connection

    from gorod.core.errors import is_database_unavailable
    from gorod.core.models import ScheduleRun

    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no read-only transactions")
    with pytest.raises(DatabaseError) as refused, transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION READ ONLY")
        ScheduleRun.objects.create(
            job="x", slot_start="2026-12-09T08:20Z", node="a", claimed_at="2026-12-09T08:20Z"
        )
    assert is_database_unavailable(refused.value)
    with pytest.raises(DatabaseError) as bug, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT 1 / 0")
    assert not is_database_unavailable(bug.value)
