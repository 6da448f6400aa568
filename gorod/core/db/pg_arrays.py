"""PostgreSQL array literals for the bulk paths, as one text parameter per column.

psycopg adapts a Python list into an array one element at a time in Python (about 1.5 µs
per element). A batch of 2,000 readings with their transfers sends some 40,000 elements, so
rendering cost more than the database spent storing them. ``str.join`` builds the same literal about ten times faster; the SQL casts
it (``%s::bigint[]``), and the literal itself is still an ordinary, escaped parameter.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal


def numbers(values: Iterable[int | Decimal | None]) -> str:
    """``{1,2.500,NULL}`` for ``%s::bigint[]`` or ``%s::numeric[]``."""
    items = list(values)
    kinds = set(map(type, items))
    if not kinds <= {int, Decimal, type(None)} or (
        Decimal in kinds and not all(v.is_finite() for v in items if type(v) is Decimal)
    ):
        # A string here could split or merge array elements: refuse rather than guess.
        raise TypeError("array literal of numbers: only ints, finite Decimals and None")
    if type(None) in kinds:
        return "{" + ",".join(["NULL" if v is None else str(v) for v in items]) + "}"
    return "{" + ",".join(map(str, items)) + "}"


def booleans(values: Iterable[bool]) -> str:
    """``{t,f}`` for ``%s::boolean[]``."""
    return "{" + ",".join(["t" if v else "f" for v in values]) + "}"


def texts(values: Iterable[str | None]) -> str:
    """``{"a","b \\" c",NULL}`` for ``%s::text[]``: every element quoted, so an empty string,
    commas, braces or the word NULL stay what they are."""
    return (
        "{"
        + ",".join(
            [
                "NULL" if v is None else '"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"'
                for v in values
            ]
        )
        + "}"
    )
