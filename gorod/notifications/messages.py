"""A notification's text kept as a message id and its parameters, rendered in the reader's language.

Why: a text rendered when the event happens is fixed in the language of whoever caused it (a
moderator working in English accepts a Russian resident's report); the resident reads it later,
maybe in another language, and the e-mail goes out in theirs. So a service passes a
``Message(gettext_noop("Your report #%(id)s was accepted"), id=...)`` and the notification stores
``{"id": ..., "params": ...}``; each reader gets ``gettext(id) % params`` in their language. A
string parameter that is seed content (a reward's name, an organisation) is translated through the
catalogue like any content field (ADR 0006); a date is formatted in the reader's locale. Rows
written before this keep their whole text and are shown as stored.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import formats
from django.utils.translation import gettext, override

from gorod.core.content import in_reader_language, source_text

_DATE = "__date__"


@dataclass(frozen=True)
class Message:
    msgid: str
    params: dict[str, Any] = field(default_factory=dict)

    def __init__(self, msgid: str, **params: Any) -> None:
        object.__setattr__(self, "msgid", str(msgid))
        object.__setattr__(self, "params", params)

    def stored(self) -> dict[str, Any]:
        return {"id": self.msgid, "params": {key: _store(value) for key, value in self.params.items()}}

    def in_english(self) -> str:
        """The text in the source language, kept in the plain column (admin, search, old readers)."""
        with override("en"):
            return render(self.stored())


def _store(value: Any) -> Any:
    if isinstance(value, dt.date):
        return {_DATE: value.isoformat()}
    if isinstance(value, int | float | bool) or value is None:
        return value
    # Seed content read in the actor's language is stored as its source, so that each reader
    # gets it back in theirs.
    return source_text(str(value))


def _shown(value: Any) -> Any:
    if isinstance(value, dict) and _DATE in value:
        return formats.date_format(dt.date.fromisoformat(value[_DATE]), "DATE_FORMAT")
    if isinstance(value, str):
        return in_reader_language(value)
    return value


def render(stored: dict[str, Any] | None, fallback: str = "") -> str:
    """The stored message in the active language; ``fallback`` (the whole text) for old rows."""
    if not stored or not stored.get("id"):
        return fallback
    params = {key: _shown(value) for key, value in (stored.get("params") or {}).items()}
    try:
        return gettext(stored["id"]) % params
    except (KeyError, ValueError, TypeError):
        # A translation that no longer fits its parameters must not hide the notification.
        return fallback or stored["id"]
