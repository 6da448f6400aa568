"""Every form that posts and asks for a required field leaves validation to the server
(``novalidate``): the browser's bubbles come in the browser's language, not the page's, and look
different in each browser; the server's errors are translated and sit next to the field."""

from __future__ import annotations

import re
from pathlib import Path

import gorod

FORM = re.compile(r"<form\b[^>]*>.*?</form>", re.S)
# a form object rendered whole or field by field (Django adds ``required``), or a hand-written
# required field
ASKS = re.compile(
    r"\{\{\s*\w*form\w*(\.\w+)?\s*\}\}|\{%\s*for \w+ in \w*form|<(input|textarea|select)\b[^>]*\brequired\b"
)


def test_every_posting_form_with_required_fields_has_novalidate():
    missing = []
    for template in sorted(Path(gorod.__file__).parent.glob("**/templates/**/*.html")):
        source = template.read_text()
        for form in FORM.finditer(source):
            tag = form.group(0)[: form.group(0).index(">") + 1]
            if "post" in tag.lower() and ASKS.search(form.group(0)) and "novalidate" not in tag:
                line = source[: form.start()].count("\n") + 1
                missing.append(f"{template.relative_to(Path(gorod.__file__).parent)}:{line}")
    assert missing == []
