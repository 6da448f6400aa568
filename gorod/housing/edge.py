"""What housing pages and endpoints share: an uploaded table (the resident behind a request is
``gorod.accounts.edge.resident_of``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _

from gorod.housing import tabular

MAX_UPLOAD = 5_000_000


def read_table(form: forms.Form) -> tabular.Table | None:
    """The uploaded CSV or XLSX as rows, or None with the reason put next to the field."""
    upload = form.cleaned_data["file"]
    content = upload.read(MAX_UPLOAD + 1)
    if len(content) > MAX_UPLOAD:
        form.add_error("file", _("The file is larger than 5 MB."))
        return None
    try:
        return tabular.read_upload(upload.name or "", content)
    except tabular.UnreadableTable as exc:
        form.add_error("file", exc.message)
        return None
