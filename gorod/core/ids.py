"""Bounds for ids that arrive in API input: a number past the database's 64-bit integer is not
an id of anything, and must be a 422, not a driver's overflow error (a 500)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

MAX_DB_ID = 2**63 - 1

# An id of a row as an API field or list item: ``ids: list[DbId]``.
DbId = Annotated[int, Field(ge=1, le=MAX_DB_ID)]
