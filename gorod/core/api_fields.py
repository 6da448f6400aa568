"""Input constraints the API schemas share, written so the published document states exactly what
the services accept (a client generated from it sends nothing the server then refuses as invalid)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# Some character other than white space: the services strip texts before they check them.
NON_BLANK = r"\S"


def text_pattern(minimum: int) -> str:
    """At least ``minimum`` characters once stripped (from the first to the last non-blank one)."""
    return rf"\S[\s\S]{{{minimum - 2},}}\S"


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
