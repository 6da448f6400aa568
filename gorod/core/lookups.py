"""``field__any=[...]``: membership in a long list that stays one parameter on PostgreSQL.

``__in`` writes one placeholder per value. psycopg parses placeholders in Python on every
execution of a query it has not cached, and a batch of 2,000 ids makes a new query text each
time, so a bulk import spent more time splitting SQL strings than the database spent running
it. On PostgreSQL ``= ANY(%s)`` sends the list as one array (one query text, cached); SQLite
has no arrays and gets the ordinary ``IN (...)``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db.models import Field, ForeignObject, Lookup


@ForeignObject.register_lookup
@Field.register_lookup
class AnyOf(Lookup):  # type: ignore[type-arg]
    lookup_name = "any"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        field = self.lhs.output_field
        values = [field.get_db_prep_value(v, connection, prepared=False) for v in dict.fromkeys(self.rhs)]
        if not values:
            raise EmptyResultSet
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", [*lhs_params, values]
        return f"{lhs} IN ({', '.join(['%s'] * len(values))})", [*lhs_params, *values]
