"""The PostgreSQL backend's health check between requests asks the kernel, not the server:
a live idle connection is kept without a round trip, one the server hung up on is replaced."""

from __future__ import annotations

import time

import pytest
from django.db import connection, connections

from conftest import postgres_only

pytestmark = [postgres_only, pytest.mark.django_db]


def _checked_connection():
    """A connection of our own (not the test's transaction), as a request finds it: reused and
    not yet checked in this request."""
    other = connections.create_connection("default")
    other.ensure_connection()
    assert other.health_check_enabled
    other.health_check_done = False
    return other


def test_a_live_connection_is_kept_without_asking_the_server(monkeypatch):
    other = _checked_connection()
    try:
        raw = other.connection

        def no_round_trip() -> bool:
            raise AssertionError("the health check sent a query")

        monkeypatch.setattr(other, "is_usable", no_round_trip)
        other.close_if_health_check_failed()
        assert other.connection is raw and other.health_check_done
    finally:
        other.close()


def test_a_connection_the_server_ended_is_replaced_before_the_request_uses_it():
    other = _checked_connection()
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            (pid,) = cursor.fetchone()
        other.health_check_done = False
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        deadline = time.monotonic() + 10
        while other.connection is not None and time.monotonic() < deadline:
            other.health_check_done = False
            other.close_if_health_check_failed()
            time.sleep(0.05)
        assert other.connection is None, "the ended connection was kept"
        with other.cursor() as cursor:  # the request goes on with a new connection
            cursor.execute("SELECT pg_backend_pid()")
            assert cursor.fetchone()[0] != pid
    finally:
        other.close()
