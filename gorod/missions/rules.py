"""Pure rules of Mission City: eligibility, evidence references, CSV rows. No database."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from gorod.accounts.models import AccountLevel

EVIDENCE_KEY_RE = re.compile(r"^[A-Za-z0-9_.\-]{1,64}$")
MAX_IMPORT_ROWS = 5000


def is_open(*, starts_on: dt.date, ends_on: dt.date, today: dt.date) -> bool:
    return starts_on <= today <= ends_on


def ineligibility(
    *, min_level: str, level: str, district_ids: set[int], home_district_id: int | None
) -> str | None:
    """Why a resident may not join, or None if they may."""
    if AccountLevel.rank(level) < AccountLevel.rank(min_level):
        return _("it needs a %(level)s account or higher") % {"level": AccountLevel(min_level).label}
    if district_ids and home_district_id not in district_ids:
        return _("it is only for residents of its districts")
    return None


def check_evidence_key(key: str) -> str | None:
    """Why an evidence reference is not acceptable, or None."""
    if not EVIDENCE_KEY_RE.match(key):
        return _("a reference is 1 to 64 letters, digits, dots, dashes or underscores")
    return None


@dataclass(frozen=True)
class ImportRow:
    line: int
    who: str
    key: str
    quantity: int


@dataclass(frozen=True)
class RowError:
    line: int
    message: str


def parse_csv(text: str) -> tuple[list[ImportRow], list[RowError]]:
    """Read a partner's file: header ``resident,evidence,quantity`` (quantity optional, 1).

    ``resident`` is the resident's mission code or user name. Every row is checked; the caller
    refuses the whole file if any row is wrong.
    """
    rows: list[ImportRow] = []
    errors: list[RowError] = []
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    fields = {f.strip().lower() for f in (reader.fieldnames or [])}
    if not {"resident", "evidence"} <= fields:
        return [], [RowError(1, _("the header must name the columns resident, evidence and quantity"))]
    seen: set[tuple[str, str]] = set()
    for number, raw in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items() if k is not None}
        if not any(row.values()):
            continue
        if len(rows) + len(errors) >= MAX_IMPORT_ROWS:
            errors.append(RowError(number, _("a file may have at most %(n)d rows") % {"n": MAX_IMPORT_ROWS}))
            break
        who, key, quantity_text = row.get("resident", ""), row.get("evidence", ""), row.get("quantity") or "1"
        if not who:
            errors.append(RowError(number, _("the resident is missing")))
            continue
        problem = check_evidence_key(key)
        if problem:
            errors.append(RowError(number, problem))
            continue
        if not quantity_text.isdigit() or not 0 < int(quantity_text) <= 1_000_000:
            errors.append(RowError(number, _("the quantity must be a whole number from 1 to 1,000,000")))
            continue
        if (who, key) in seen:
            errors.append(RowError(number, _("the same evidence appears twice in the file")))
            continue
        seen.add((who, key))
        rows.append(ImportRow(number, who, key, int(quantity_text)))
    return rows, errors


def remaining_allowance(*, cap: int | None, earned: int) -> int | None:
    return None if cap is None else max(0, cap - earned)


def source_key(challenge_id: int, resident_id: int, evidence_key: str) -> str:
    return f"mission:{challenge_id}:{resident_id}:{evidence_key}"
