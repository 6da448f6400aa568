"""Content in the reader's language: seed text translated through the gettext catalogues.

Why this way (docs/adr/0006-content-languages.md): the demo city's content (polls, news,
categories, districts, rewards, ...) is written once, in English, in the seed code, marked with
``gettext_noop`` so that ``makemessages`` puts it in the catalogues next to the interface
strings, and translated there. A model field that holds such text is a ``ContentCharField`` or
``ContentTextField``: when a row is read, its value is looked up in the active language's
catalogue, so every page, form, e-mail, PDF and API answer shows it in the reader's language
without a filter at each use. Text an operator or resident writes is not in the catalogue and
shows as written.

Writing goes the other way: a value read in Russian and saved again (an operator editing a demo
poll in the console in Russian) is stored as its English source, so the row stays the same for
every language. The columns are plain ``CharField``/``TextField`` to migrations.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import get_language, gettext

# (language, translated text) -> source text, filled as rows are read in this process. A form
# posted back is read again (the console loads the object before saving it), so a value shown
# translated finds its source here when it is written.
_sources: dict[tuple[str, str], str] = {}


def in_reader_language(value: Any) -> Any:
    """The catalogue's translation of ``value`` in the active language, or ``value`` itself."""
    if not isinstance(value, str) or not value:
        return value
    translated = gettext(value)
    if translated == value:
        translated = _joined(value)
    if translated != value:
        _sources[(get_language() or "", translated)] = value
    return translated


def _joined(value: str) -> str:
    """Text put together from seed texts (an idea's text and the experts' reason as a decision's
    description, joint owners' names in a meeting register) is translated part by part, but only
    when every part is seed text: a resident's own sentence is never half translated."""
    for separator in ("\n\n", ", "):
        if separator in value:
            parts = value.split(separator)
            translated = [gettext(part) for part in parts]
            if all(t != p for t, p in zip(translated, parts, strict=True)):
                return separator.join(translated)
    return value


def source_text(value: Any) -> Any:
    """The source (catalogue msgid) of a text shown translated in the active language."""
    if not isinstance(value, str) or not value:
        return value
    return _sources.get((get_language() or "", value), value)


class _ContentText:
    """Mixin: translate on read, store the source on write (see the module docstring)."""

    _migration_path = ""

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        return in_reader_language(value)

    def get_prep_value(self, value: Any) -> Any:
        return source_text(super().get_prep_value(value))  # type: ignore[misc]

    def deconstruct(self) -> Any:
        name, _path, args, kwargs = super().deconstruct()  # type: ignore[misc]
        # Migrations see the plain column: switching a field to content text changes no schema.
        return name, self._migration_path, args, kwargs


class ContentCharField(_ContentText, models.CharField):
    _migration_path = "django.db.models.CharField"


class ContentTextField(_ContentText, models.TextField):
    _migration_path = "django.db.models.TextField"
