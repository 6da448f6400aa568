"""Django's database cache with an atomic ``incr``.

Django's ``DatabaseCache.incr`` is ``get`` then ``set``: two requests that count at once both read
41 and both write 42, so a rate limit counted there lets through more than its limit (600 writes
in a minute passed a 300 limit). Here the read and the write happen in one transaction holding the
row (``core.sql``): ``SELECT ... FOR UPDATE`` on PostgreSQL, and SQLite's write lock, which gorod's SQLite
backend takes at BEGIN (``transaction_mode=IMMEDIATE``). ``add`` is already safe: the second of
two inserts of one key fails on the primary key and returns False.

Redis (django-redis) is the production cache (docs/deploy); this one is for a single server
without Redis, set with ``GOROD_CACHE=db``.
"""

from __future__ import annotations

import base64
import pickle
from typing import Any

from django.core.cache.backends.db import DatabaseCache
from django.db import connections, models, router, transaction
from django.utils.timezone import now as tz_now

from gorod.core.db import sql


class AtomicDatabaseCache(DatabaseCache):
    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> Any:
        cache_key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        table = self._table  # type: ignore[attr-defined]
        with transaction.atomic(using=db):
            row = sql.cache_row_locked(db, table, cache_key)
            if row is None or self._expired(connection, row[1]):
                raise ValueError(f"Key '{key}' not found.")
            value = pickle.loads(base64.b64decode(connection.ops.process_clob(row[0]).encode())) + delta  # noqa: S301 - our own cache rows
            encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            sql.cache_value_set(db, table, cache_key, encoded)
        return value

    def decr(self, key: Any, delta: int = 1, version: int | None = None) -> Any:
        return self.incr(key, -delta, version)

    @staticmethod
    def _expired(connection: Any, expires: Any) -> bool:
        expression = models.Expression(output_field=models.DateTimeField())
        for converter in connection.ops.get_db_converters(expression) + expression.get_db_converters(
            connection
        ):
            expires = converter(expires, expression, connection)
        return bool(expires < tz_now())
