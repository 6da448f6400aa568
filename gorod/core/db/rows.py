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
from django.db.models import Model, signals
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query_utils import DeferredAttribute

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
    converters = _converters(model, connection.vendor)
    if converters is None:
        converted = list(values)
        if len(converted) != len(model._meta.concrete_fields):
            raise ValueError(f"{model.__name__}: {len(converted)} values for {width(model)} fields")
    else:
        converted = []
        for (col, steps), value in zip(converters, values, strict=True):
            for step in steps:
                value = step(value, col, connection)
            converted.append(value)
    return loaded(model, _attnames(model), converted)


def loaded(model: type[M], attnames: Sequence[str], values: Sequence[Any]) -> M:
    """The instance ``Model.from_db`` would build from these Python values of every concrete
    field (``attnames`` in any order), as if just read from the database."""
    if _plain_fields(model) and not (
        signals.pre_init.has_listeners(model) or signals.post_init.has_listeners(model)
    ):
        # What Model.from_db builds, without __init__'s setattr per field (a third of a small
        # read's CPU): every field here is stored as is (no descriptor does anything on a new
        # instance) and nobody listens for the instance being built.
        instance = model.__new__(model)
        instance.__dict__.update(zip(attnames, values, strict=True))
        state = instance._state = ModelState()
        state.adding = False
        state.db = connection.alias
        return instance
    return model.from_db(connection.alias, list(attnames), list(values))


@functools.cache
def _plain_fields(model: type[Model]) -> bool:
    """Whether the model keeps Django's own __init__ and every concrete field's attribute is
    Django's plain one (a value kept in the instance's __dict__; the foreign key's only forgets
    a cached related object on change)."""
    plain = (DeferredAttribute, ForeignKeyDeferredAttribute)
    return model.__init__ is Model.__init__ and all(
        type(model.__dict__.get(f.attname)) in plain for f in model._meta.concrete_fields
    )


@functools.cache
def _attnames(model: type[Model]) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields]


@functools.cache
def _converters(model: type[Model], vendor: str) -> list[tuple[Any, list[Any]]] | None:
    """Each column's converters, or None when no column has any (values are kept as read)."""
    cols = [f.get_col(model._meta.db_table) for f in model._meta.concrete_fields]
    found = [(col, connection.ops.get_db_converters(col) + col.get_db_converters(connection)) for col in cols]
    return found if any(steps for _col, steps in found) else None
