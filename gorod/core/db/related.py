"""Links from one app's objects to another app's pages, for apps that may not import each other.

Apps in the same layer never import each other (DESIGN.md section 3), yet a page of one often
wants to point at the other: a decision on the Active Citizen map has "People of the project"
stories in the news. The app that owns the pages registers a provider for a *subject* (a string
naming the other app's object kind, e.g. ``"voting.decision"``) in its AppConfig.ready; the page
asks ``links_for(subject, ids)`` and shows whatever comes back, or nothing when no app
registered. A provider answers for many ids at once, in a bounded number of queries.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class RelatedLink:
    title: str
    url: str
    kind: str  # what the link leads to, e.g. "story" (for styling and the API)


Provider = Callable[[Collection[int]], Mapping[int, list[RelatedLink]]]

_providers: dict[str, dict[str, Provider]] = {}


def register(subject: str, name: str, provider: Provider) -> None:
    """Register (or replace: ready() may run twice in tests) the provider ``name`` for ``subject``."""
    _providers.setdefault(subject, {})[name] = provider


def links_for(subject: str, ids: Collection[int]) -> dict[int, list[RelatedLink]]:
    """Every registered provider's links for these ids; ids without links are left out."""
    found: dict[int, list[RelatedLink]] = {}
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return found
    for provider in _providers.get(subject, {}).values():
        for object_id, links in provider(wanted).items():
            if links:
                found.setdefault(object_id, []).extend(links)
    return found
