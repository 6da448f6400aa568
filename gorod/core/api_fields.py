"""Input constraints the API schemas share, written so the published document states exactly what
the services accept (a client generated from it sends nothing the server then refuses as invalid)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator, WithJsonSchema

# Every text is NUL-free (PostgreSQL cannot store NUL; config/api_contract.py). A text's own rule
# and that one are written as ONE anchored pattern: next to a second pattern (``allOf``),
# schemathesis's coverage phase spent minutes per field looking for strings that satisfy both.
_ANY = r"[^\x00]"
_VISIBLE = r"[^\s\x00]"
# Some character other than white space: the services strip texts before they check them.
NON_BLANK = rf"^{_ANY}*{_VISIBLE}{_ANY}*$"


def text_pattern(minimum: int) -> str:
    """At least ``minimum`` characters once stripped (from the first to the last non-blank one)."""
    if minimum <= 1:
        return NON_BLANK
    return rf"^{_ANY}*{_VISIBLE}{_ANY}{{{minimum - 2},}}{_VISIBLE}{_ANY}*$"


def degrees(minimum: int, maximum: int) -> Callable[[dict[str, Any]], None]:
    """A coordinate is documented as a number in range (pydantic would also list a free-form
    string, which a client could then send as ``""``)."""

    def number(schema: dict[str, Any]) -> None:
        title = schema.get("title")
        schema.clear()
        schema.update({"type": "number", "minimum": minimum, "maximum": maximum})
        if title:
            schema["title"] = title

    return number


def empty_as_none(value: Any) -> Any:
    """A form cannot send null: an empty optional field means none."""
    return None if value == "" else value


# Optional coordinates and ids of a form or a body, documented as a number (or integer) in range
# or the field left out; an empty form field means none. Pair with Field(None, ge=..., le=...).
OptionalLatitude = Annotated[
    Decimal | None,
    BeforeValidator(empty_as_none),
    WithJsonSchema({"type": "number", "minimum": -90, "maximum": 90}),
]
OptionalLongitude = Annotated[
    Decimal | None,
    BeforeValidator(empty_as_none),
    WithJsonSchema({"type": "number", "minimum": -180, "maximum": 180}),
]
OptionalId = Annotated[
    int | None,
    BeforeValidator(empty_as_none),
    WithJsonSchema({"type": "integer", "minimum": 1, "maximum": 2**62}),
]


def _query_bool(value: Any) -> Any:
    # pydantic would also read yes/no, on/off, 1/0 (and anything else as an error only later):
    # the document says boolean, which a query string spells true or false.
    if isinstance(value, bool) or value in ("true", "false"):
        return value == "true" if isinstance(value, str) else value
    raise ValueError("Use true or false.")


# A flag in a query string: exactly ``true`` or ``false``.
QueryBool = Annotated[bool, BeforeValidator(_query_bool)]

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_date(value: Any) -> Any:
    # pydantic would also take a date and time ("2026-01-01T00:00") as a date; the document says
    # format: date, which is YYYY-MM-DD and nothing else.
    if isinstance(value, str) and not _ISO_DATE.fullmatch(value):
        raise ValueError("Use a date as YYYY-MM-DD.")
    return value


# A date in a query string: YYYY-MM-DD only.
QueryDate = Annotated[dt.date, BeforeValidator(_iso_date)]


def files_only(request: Any, *names: str) -> None:
    """A file field sent as text (``photos=abc`` in a multipart body) is not a file: refuse it as
    the document's schema does (422 invalid_input naming the field) instead of ignoring it."""
    from ninja.errors import ValidationError

    sent_as_text = [name for name in names if request.POST.getlist(name)]
    if sent_as_text:
        raise ValidationError(
            [
                {"loc": ("form", name), "msg": "Expected a file, not text", "type": "file"}
                for name in sent_as_text
            ]
        )
