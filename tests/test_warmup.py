"""The worker warm-up: code, catalogues and templates loaded without a query; then its own first requests."""

from __future__ import annotations

import os

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from config import warmup


@pytest.mark.django_db
def test_warm_up_compiles_every_project_template_without_a_query(caplog):
    names = warmup._template_names()
    assert "web/home.html" in names and len(names) > 50
    assert not any(n == "admin/base.html" for n in names)  # libraries' templates are not ours
    with CaptureQueriesContext(connection) as queries, caplog.at_level("INFO", logger="gorod.warmup"):
        warmup.warm_up()
    assert queries.captured_queries == []
    record = next(r for r in caplog.records if r.name == "gorod.warmup")
    assert record.templates == len(names)


@pytest.mark.django_db
def test_warm_up_answers_the_first_requests_itself_in_each_language(caplog, settings, wsgi_in_test):
    from django.core.handlers.wsgi import WSGIHandler

    settings.ALLOWED_HOSTS = ["gorod.example"]
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.GOROD_WARM_UP_PATHS = ["/", "/points/how/", "/api/v1/polls"]
    with CaptureQueriesContext(connection) as queries, caplog.at_level("INFO", logger="gorod"):
        warmup.warm_up(WSGIHandler())
    assert queries.captured_queries  # the worker's first queries are its own, not a resident's
    record = next(r for r in caplog.records if r.name == "gorod.warmup" and r.msg == "worker warmed up")
    assert record.requests == {"/": 200, "/points/how/": 200, "/api/v1/polls": 200}
    answered = [r for r in caplog.records if r.name == "gorod.request"]
    assert len(answered) == 6 and {r.request_id for r in answered} == {"warm-up"}


def test_a_failing_warm_up_request_stops_the_warm_up_without_raising(caplog, settings):
    settings.GOROD_WARM_UP_PATHS = ["/broken", "/never"]
    asked = []

    def application(environ, start_response):
        asked.append(environ["PATH_INFO"])
        start_response("503 Service Unavailable", [])
        return [b""]

    with caplog.at_level("WARNING", logger="gorod.warmup"):
        warmup.warm_up(application)
    assert asked == ["/broken"]
    assert any("stopping" in r.getMessage() for r in caplog.records)


def test_navigation_stands_for_the_headers_public_pages_once_each():
    paths = warmup._paths(["/", "navigation", "/voting/", "/api/v1/polls"])
    assert paths[0] == "/" and paths[-1] == "/api/v1/polls"
    assert "/voting/" in paths and "/rewards/" in paths and "/problems/" in paths
    assert len(paths) == len(set(paths))
    # a resident's or a staff member's pages would only answer a redirect to sign in
    assert "/points/" not in paths and "/rewards/desk/" not in paths and "/housing/" not in paths


@pytest.mark.django_db(transaction=True)
def test_a_fork_after_the_warm_up_does_not_share_its_database_connection():
    from django.contrib.auth.models import Group

    if connection.vendor != "postgresql":
        pytest.skip(
            "a socket shared across a fork is a database server's problem (SQLite's test database is in memory)"
        )

    warmup._close_connections_before_forks()
    warmup._close_connections_before_forks()  # once a process, however often the warm-up runs
    assert warmup._fork_hook == [True]
    assert not Group.objects.exists()  # a connection is open now
    assert connection.connection is not None
    child = os.fork()
    if child == 0:  # the child: its connection was closed before the fork, it opens its own
        os._exit(0 if connection.connection is None else 1)
    _pid, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert connection.connection is None  # closed in the parent too: reopened on the next query
    assert not Group.objects.exists()
