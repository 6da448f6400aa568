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

from gorod.core.db import pg_arrays


@ForeignObject.register_lookup
@Field.register_lookup
class AnyOf(Lookup):
    lookup_name = "any"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        field = self.lhs.output_field
        distinct = list(dict.fromkeys(self.rhs))
        if not distinct:
            raise EmptyResultSet
        if connection.vendor == "postgresql":
            literal = _array_literal(field.db_type(connection), distinct)
            if literal is not None:
                return f"{lhs} = ANY({literal[0]})", [*lhs_params, literal[1]]
        values = [field.get_db_prep_value(v, connection, prepared=False) for v in distinct]
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", [*lhs_params, values]
        return f"{lhs} IN ({', '.join(['%s'] * len(values))})", [*lhs_params, *values]


_INTEGER_COLUMNS = {"smallint", "integer", "bigint"}
_INT64 = (-(2**63), 2**63 - 1)


def _array_literal(db_type: str | None, values: list[Any]) -> tuple[str, str] | None:
    """Plain ids or strings as one array literal (see gorod.core.db.pg_arrays: psycopg renders a
    list element by element in Python, which dominated the bulk paths' look-ups). None when
    the values are anything else, for the general path."""
    if db_type in _INTEGER_COLUMNS and all(type(v) is int for v in values):
        if _INT64[0] <= min(values) and max(values) <= _INT64[1]:
            return "%s::bigint[]", pg_arrays.numbers(values)
    elif (db_type or "").startswith(("varchar", "text")) and all(type(v) is str for v in values):
        # text[], not varchar(n)[]: a cast to varchar(n) would cut a longer value to fit.
        return "%s::text[]", pg_arrays.texts(values)
    return None
