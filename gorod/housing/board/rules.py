"""Pure rules of the building's board: the keys its points are earned under."""

from __future__ import annotations


def first_announcement_key(resident_id: int) -> str:
    return f"first_announcement:{resident_id}"
