"""Pure rules of the open data catalogue (no ORM): licences, pooling small groups, rounding
places, a report's deadline outcome."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any, TypeVar

# The same threshold as the poll results' district breakdown (voting.rules.BREAKDOWN_MIN_GROUP).
MIN_GROUP = 10

# Places of reports are published to 3 decimals (~110 m north-south, ~65 m east-west in Moscow):
# enough to see a street or a yard, too coarse to point at one entrance or window.
PLACE_DECIMALS = 3


@dataclass(frozen=True)
class Licence:
    name: str  # SPDX identifier
    title: str
    path: str

    def as_descriptor(self) -> dict[str, str]:
        return {"name": self.name, "title": self.title, "path": self.path}


KNOWN_LICENCES = {
    licence.name: licence
    for licence in (
        Licence(
            "CC-BY-4.0", "Creative Commons Attribution 4.0", "https://creativecommons.org/licenses/by/4.0/"
        ),
        Licence(
            "CC-BY-SA-4.0",
            "Creative Commons Attribution Share-Alike 4.0",
            "https://creativecommons.org/licenses/by-sa/4.0/",
        ),
        Licence("CC0-1.0", "Creative Commons Zero 1.0", "https://creativecommons.org/publicdomain/zero/1.0/"),
        Licence(
            "ODC-By-1.0", "Open Data Commons Attribution 1.0", "https://opendatacommons.org/licenses/by/1-0/"
        ),
        Licence("ODbL-1.0", "Open Database License 1.0", "https://opendatacommons.org/licenses/odbl/1-0/"),
        Licence(
            "PDDL-1.0",
            "Open Data Commons Public Domain Dedication 1.0",
            "https://opendatacommons.org/licenses/pddl/1-0/",
        ),
    )
}


def licence_of(setting: str) -> Licence:
    """The licence a setting names: an SPDX id from the list, or ``id|title|url`` for another."""
    value = (setting or "").strip()
    if "|" in value:
        name, title, path = (part.strip() for part in value.split("|", 2))
        if not (name and title and path):
            raise ValueError("GOROD_OPEN_DATA_LICENCE must be an SPDX id or 'id|title|url'")
        return Licence(name, title, path)
    for name, licence in KNOWN_LICENCES.items():
        if name.lower() == value.lower():
            return licence
    raise ValueError(
        f"GOROD_OPEN_DATA_LICENCE {value!r} is not one of {', '.join(KNOWN_LICENCES)}; "
        "give 'id|title|url' for another licence"
    )


Row = TypeVar("Row")


def pool_small_groups(
    rows: Iterable[Row],
    *,
    size: Callable[[Row], int],
    merge: Callable[[Sequence[Row]], Row],
    minimum: int = MIN_GROUP,
) -> list[Row]:
    """Rows whose group is at least ``minimum`` strong, plus one pooled row for the rest, as the
    poll results pool small districts; a pool that is itself too small is left out."""
    kept: list[Row] = []
    small: list[Row] = []
    for row in rows:
        (kept if size(row) >= minimum else small).append(row)
    if small:
        pooled = merge(small)
        if size(pooled) >= minimum:
            kept.append(pooled)
    return kept


def rounded_place(value: Decimal | None) -> Decimal | None:
    if value is None:
        return None
    return Decimal(value).quantize(Decimal(1).scaleb(-PLACE_DECIMALS), rounding=ROUND_HALF_EVEN)


MET = "met"
MISSED = "missed"
PENDING = "pending"
NO_DEADLINE = "none"


def deadline_outcome(
    *, deadline: dt.date | None, answered_on: dt.date | None, overdue: bool, today: dt.date
) -> str:
    """Whether a report was answered by its deadline: met, missed, pending (still in time) or none
    (never accepted, so no deadline was set)."""
    if deadline is None:
        return NO_DEADLINE
    if answered_on is not None:
        return MET if answered_on <= deadline else MISSED
    if overdue or today > deadline:
        return MISSED
    return PENDING


def iso_utc(moment: dt.datetime | None) -> str | None:
    """A moment as ISO 8601 in UTC to the second (``2026-03-01T09:30:00Z``)."""
    if moment is None:
        return None
    return moment.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def json_value(value: Any) -> Any:
    """A cell as JSON carries it: dates as ISO strings, decimals as numbers."""
    if isinstance(value, dt.datetime):
        return iso_utc(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)  # coordinates and percentages, never amounts
    return value


def csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return str(value)
    value = json_value(value)
    return str(value)
