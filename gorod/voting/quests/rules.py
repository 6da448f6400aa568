"""Pure rules of quests: how a typed code word is compared."""

from __future__ import annotations


def normalise_code(code: str) -> str:
    """Codes are read off a page and typed on a phone: case, spaces and dashes do not matter."""
    return "".join(ch for ch in code.casefold() if ch.isalnum())
