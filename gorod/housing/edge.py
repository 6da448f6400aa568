"""What housing pages and endpoints share: an uploaded table (the resident behind a request is
``gorod.accounts.edge.resident_of``)."""

from __future__ import annotations

from typing import Any

from django import forms

from gorod.core.errors import DomainError
from gorod.housing import errors, tabular

MAX_UPLOAD = 5_000_000


def table_of(upload: Any) -> tabular.Table:
    """The uploaded CSV or XLSX as rows; a file too large or unreadable is refused (422) with its
    stable code. The pages and the API read uploads here, so both refuse the same files."""
    content = upload.read(MAX_UPLOAD + 1)
    if len(content) > MAX_UPLOAD:
        raise errors.ImportFileTooLarge(field="file")
    try:
        return tabular.read_upload(upload.name or "", content)
    except tabular.UnreadableTable as exc:
        raise errors.ImportFileUnreadable(exc.message, field="file") from None


def read_table(form: forms.Form) -> tabular.Table | None:
    """The uploaded CSV or XLSX as rows, or None with the reason put next to the field."""
    try:
        return table_of(form.cleaned_data["file"])
    except DomainError as exc:
        form.add_error("file", exc.text)
        return None
