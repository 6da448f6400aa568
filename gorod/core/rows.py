"""Model instances from hand-written SELECTs, for the few reads that run on every request.

Compiling an ORM query costs more CPU than the database spends answering a lookup by a unique
key: a bearer token with its resident took about a millisecond of Python per API request, most
of it in ``SQLCompiler.as_sql``. A hot read can instead write its SQL once per process with
:func:`columns` and turn each row back into a model with :func:`from_row`, which applies the
same converters the ORM would (SQLite returns datetimes as text, PostgreSQL as datetimes), so
the instance is the one ``QuerySet.get`` would have built, every concrete field loaded.

Only identifiers from the models' metadata go into such SQL; every value is a bound parameter.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Model

M = TypeVar("M", bound=Model)


def columns(model: type[Model], alias: str) -> str:
    """``alias."col1", alias."col2", ...``: every concrete field, in ``from_row``'s order."""
    qn = connection.ops.quote_name
    return ", ".join(f"{alias}.{qn(f.column)}" for f in model._meta.concrete_fields)


def width(model: type[Model]) -> int:
    """How many values of a row :func:`columns` selects for ``model``."""
    return len(model._meta.concrete_fields)


def from_row(model: type[M], values: Sequence[Any]) -> M:
    """The instance for one row's values of :func:`columns`, converted as the ORM would."""
    converted = []
    for (col, converters), value in zip(_converters(model, connection.vendor), values, strict=True):
        for converter in converters:
            value = converter(value, col, connection)
        converted.append(value)
    return model.from_db(connection.alias, _attnames(model), converted)


@functools.cache
def _attnames(model: type[Model]) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields]


@functools.cache
def _converters(model: type[Model], vendor: str) -> list[tuple[Any, list[Any]]]:
    cols = [f.get_col(model._meta.db_table) for f in model._meta.concrete_fields]
    return [(col, connection.ops.get_db_converters(col) + col.get_db_converters(connection)) for col in cols]
