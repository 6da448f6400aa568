"""Uploaded tables (CSV or XLSX) as rows of text keyed by the header, numbered as a person
sees them in the file (the header is line 1), so every import reports errors the same way
whatever the format, and checks the rows on one code path."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

MAX_ROWS = 20_000


class UnreadableTable(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Table:
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


def from_csv(text: str) -> Table:
    if "\x00" in text:
        raise UnreadableTable(_("The file contains NUL characters; it is not a CSV text file."))
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    try:
        columns = [c.strip() for c in (reader.fieldnames or [])]
        table = Table(columns=columns)
        for line, raw in enumerate(reader, start=2):
            if len(table.rows) >= MAX_ROWS:
                raise UnreadableTable(_("The file has more than %(max)s rows.") % {"max": MAX_ROWS})
            table.rows.append((line, {(k or "").strip(): (v or "") for k, v in raw.items() if k is not None}))
    except csv.Error as exc:
        raise UnreadableTable(_("The CSV file cannot be read: %(error)s") % {"error": exc}) from None
    return table


def _cell_text(value: Any) -> str:
    """A cell as the text the CSV path would have read: whole numbers without '.0', dates as
    YYYY-MM-DD (spreadsheets turn typed dates into date cells)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def from_xlsx(content: bytes) -> Table:
    """The first worksheet of an XLSX workbook; blank rows are skipped, as csv skips blank lines."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise UnreadableTable(_("The file is not a readable XLSX workbook.")) from None
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            return Table(columns=[])
        lines = sheet.iter_rows(values_only=True)
        header = next(lines, None) or ()
        columns = [_cell_text(c).strip() for c in header]
        table = Table(columns=[c for c in columns if c])
        for line, cells in enumerate(lines, start=2):
            texts = [_cell_text(c) for c in cells]
            if not any(t.strip() for t in texts):
                continue
            if len(table.rows) >= MAX_ROWS:
                raise UnreadableTable(_("The file has more than %(max)s rows.") % {"max": MAX_ROWS})
            table.rows.append(
                (line, {name: text for name, text in zip(columns, texts, strict=False) if name})
            )
        return table
    finally:
        workbook.close()


def read_upload(name: str, content: bytes) -> Table:
    """CSV (UTF-8) or XLSX, told apart by the file's signature rather than its name alone."""
    if content[:4] == b"PK\x03\x04" or name.lower().endswith(".xlsx"):
        return from_xlsx(content)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableTable(_("The file must be UTF-8 text (CSV) or an XLSX workbook.")) from None
    return from_csv(text)
