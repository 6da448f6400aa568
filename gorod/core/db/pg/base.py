"""Django's PostgreSQL backend with a health check that costs no round trip.

With ``CONN_HEALTH_CHECKS`` on, Django sends ``SELECT 1`` before the first query of every request
on a reused connection: a round trip per request, about 4% of a ballot's CPU. A connection that
sits idle between requests has nothing to read unless the server has hung up on it (a restart,
a stop, ``pg_terminate_backend`` or an idle timeout sends a last error message and closes the
socket), so here the check asks the kernel whether the socket has anything to read, without
sending anything: if it has, the connection is closed and the request opens a new one.

What this does not see, as ``SELECT 1`` would, is a connection whose peer vanished without a
word (a network cut, the database host losing power): the request's first query then fails and
is answered 503 like any outage, and Django checks that connection with a real query before
the next request (``errors_occurred``).
"""

from __future__ import annotations

import select
from typing import Any

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def close_if_health_check_failed(self) -> None:
        state: Any = self  # django-stubs know neither the pool nor the health-check flags
        if state.pool or self.connection is None or not state.health_check_enabled or state.health_check_done:
            return
        if not self._idle_and_open():
            self.close()
        state.health_check_done = True

    def _idle_and_open(self) -> bool:
        connection = self.connection
        if connection.closed or connection.broken:
            return False
        try:
            poller = select.poll()
            poller.register(connection.fileno(), select.POLLIN)
            # Anything to read, or a hang-up, on an idle connection means the server is gone.
            return not poller.poll(0)
        except (OSError, ValueError):
            return False
