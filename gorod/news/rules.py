"""Pure rules of the personalised feed and car plates. No database here."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from gorod.news.errors import InvalidLink

# Russian registration plates use only the 12 letters that look alike in Cyrillic and Latin.
LATIN_TO_CYRILLIC = str.maketrans("ABEKMHOPCTYX", "АВЕКМНОРСТУХ")
PLATE_RE = re.compile(r"^[АВЕКМНОРСТУХ](?!000)\d{3}[АВЕКМНОРСТУХ]{2}(?!00$)(\d{2}|[1-9]\d{2})$")
# What the API documents for a plate (or none): the same plates, Cyrillic or Latin letters, any
# case, without the spaces and hyphens ``normalise_plate`` also forgives; no look-ahead (JSON
# Schema's generators and pydantic's regex engine have none), so "not 000" is spelt out.
_LETTER = "[АВЕКМНОРСТУХавекмнорстухABEKMHOPCTYXabekmhopctyx]"
PLATE_PATTERN = rf"^(?:|{_LETTER}(?:00[1-9]|0[1-9][0-9]|[1-9][0-9]{{2}}){_LETTER}{{2}}(?:0[1-9]|[1-9][0-9]|[1-9][0-9]{{2}}))$"

CAR_TOPICS = {"transport", "roads", "road_closures"}
CHILDREN_TOPICS = {"children", "education"}
PET_TOPICS = {"pets"}

WEIGHT_BUILDING = 5
WEIGHT_CAR = 4
WEIGHT_DISTRICT = 3
WEIGHT_FAMILY = 2
FRESH_FOR = dt.timedelta(days=14)


def normalise_plate(raw: str) -> str | None:
    """'a 123 bc 77' → 'А123ВС77'; None if it is not a valid Russian plate."""
    plate = re.sub(r"[\s\-]", "", raw).upper().translate(LATIN_TO_CYRILLIC)
    return plate if PLATE_RE.match(plate) else None


@dataclass(frozen=True)
class Profile:
    has_car: bool = False
    has_children: bool = False
    has_pets: bool = False
    district_id: int | None = None
    district_name: str = ""
    address_id: int | None = None


@dataclass(frozen=True)
class ItemFacts:
    topics: frozenset[str]
    district_ids: frozenset[int]
    address_id: int | None
    published_at: dt.datetime


@dataclass
class Relevance:
    score: int = 0
    reasons: list[str] = field(default_factory=list)


def relevance(profile: Profile, item: ItemFacts) -> Relevance:
    result = Relevance()
    if profile.address_id and item.address_id == profile.address_id:
        result.score += WEIGHT_BUILDING
        result.reasons.append(_("because it is about your building"))
    if profile.has_car and item.topics & CAR_TOPICS:
        result.score += WEIGHT_CAR
        result.reasons.append(_("because you added a car"))
    if profile.district_id and profile.district_id in item.district_ids:
        result.score += WEIGHT_DISTRICT
        result.reasons.append(
            _("because it is in your district, %(district)s") % {"district": profile.district_name}
        )
    if profile.has_children and item.topics & CHILDREN_TOPICS:
        result.score += WEIGHT_FAMILY
        result.reasons.append(_("because you have children"))
    if profile.has_pets and item.topics & PET_TOPICS:
        result.score += WEIGHT_FAMILY
        result.reasons.append(_("because you have pets"))
    return result


def is_for(profile: Profile, item: ItemFacts) -> bool:
    """A district item is for that district's residents; a building item for that building."""
    if item.address_id is not None:
        return item.address_id == profile.address_id
    return not item.district_ids or profile.district_id is None or profile.district_id in item.district_ids


def order_key(relevance_score: int, published_at: dt.datetime, now: dt.datetime) -> tuple[int, dt.datetime]:
    """Fresh items (two weeks) go by interest first, then by recency; older ones by recency."""
    fresh = now - published_at <= FRESH_FOR
    return (relevance_score if fresh else -1, published_at)


def check_link(link: str) -> None:
    if not (link.startswith("/") and not link.startswith("//")) and not link.startswith("https://"):
        raise InvalidLink(field="link")
