"""A text kept as a message id and its parameters, rendered in the reader's language: a
notification's title and text, an announcement the system posts, a ledger transfer's memo.

Why: a text rendered when the event happens is fixed in the language of whoever caused it (a
moderator working in English accepts a Russian resident's report); the resident reads it later,
maybe in another language, and the e-mail goes out in theirs. So a service passes a
``Message(gettext_noop("Your report #%(id)s was accepted"), id=...)`` and the notification stores
``{"id": ..., "params": ...}``; each reader gets ``gettext(id) % params`` in their language. A
string parameter that is seed content (a reward's name, an organisation) is translated through the
catalogue like any content field (ADR 0006); a date (or a moment, in the city's time) is formatted in the reader's locale. Rows
written before this keep their whole text and are shown as stored.

A plural message is marked with ``ngettext_noop`` (a keyword makemessages knows through
gorod/core/management/commands/makemessages.py) and takes its form from the ``count`` parameter:
``Message(*ngettext_noop("%(count)d item", "%(count)d items"), count=n)``. A list parameter (the
titles a digest lists) is shown one item a line, each translated like a string parameter.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext, override

from gorod.core.content import in_reader_language, source_text
from gorod.core.time import to_city

_DATE = "__date__"
_MOMENT = "__datetime__"


def ngettext_noop(singular: str, plural: str) -> tuple[str, str]:
    """Mark a plural pair for the catalogue without translating it (``Message`` does, per reader)."""
    return singular, plural


@dataclass(frozen=True)
class Message:
    msgid: str
    plural: str = ""
    params: dict[str, Any] = field(default_factory=dict)

    def __init__(self, msgid: str, plural: str = "", /, **params: Any) -> None:
        if plural and not isinstance(params.get("count"), int):
            raise TypeError("a plural message needs an integer count parameter")
        object.__setattr__(self, "msgid", str(msgid))
        object.__setattr__(self, "plural", str(plural))
        object.__setattr__(self, "params", params)

    def stored(self) -> dict[str, Any]:
        stored = {"id": self.msgid, "params": {key: _store(value) for key, value in self.params.items()}}
        if self.plural:
            stored["plural"] = self.plural
        return stored

    def in_english(self) -> str:
        """The text in the source language, kept in the plain column (admin, search, old readers)."""
        with override("en"):
            return render(self.stored())


def _store(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return {_MOMENT: value.isoformat()}
    if isinstance(value, dt.date):
        return {_DATE: value.isoformat()}
    if isinstance(value, int | float | bool) or value is None:
        return value
    if isinstance(value, list | tuple):
        return [_store(item) for item in value]
    if isinstance(value, Promise):
        # A lazy label (an enum's, a kind's) is stored as its source and translated when shown.
        with override("en"):
            return str(value)
    # Seed content read in the actor's language is stored as its source, so that each reader
    # gets it back in theirs.
    return source_text(str(value))


def _shown(value: Any) -> Any:
    if isinstance(value, dict) and _MOMENT in value:
        return formats.date_format(to_city(dt.datetime.fromisoformat(value[_MOMENT])), "DATETIME_FORMAT")
    if isinstance(value, dict) and _DATE in value:
        return formats.date_format(dt.date.fromisoformat(value[_DATE]), "DATE_FORMAT")
    if isinstance(value, str):
        return in_reader_language(value)
    if isinstance(value, list):
        return "\n".join(f"- {_shown(item)}" for item in value)
    return value


def render(stored: dict[str, Any] | None, fallback: str = "") -> str:
    """The stored message in the active language; ``fallback`` (the whole text) for old rows."""
    if not stored or not stored.get("id"):
        return fallback
    params = {key: _shown(value) for key, value in (stored.get("params") or {}).items()}
    try:
        if stored.get("plural"):
            return ngettext(stored["id"], stored["plural"], int(params["count"])) % params
        return gettext(stored["id"]) % params
    except (KeyError, ValueError, TypeError):
        # A translation that no longer fits its parameters must not hide the notification.
        return fallback or stored["id"]
