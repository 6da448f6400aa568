"""Pure rules of neighbour surveys."""

from __future__ import annotations

from collections.abc import Sequence


def survey_options_valid(options: Sequence[str]) -> bool:
    """At least two answers, none blank, no two the same (ignoring case and outer spaces): a
    question with one answer, or the same answer twice, asks nothing."""
    cleaned = [option.strip().casefold() for option in options]
    return len(cleaned) >= 2 and all(cleaned) and len(set(cleaned)) == len(cleaned)
