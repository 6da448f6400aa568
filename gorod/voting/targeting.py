"""Who a poll is for: a targeting spec, and how buildings are resolved without housing models.

Voting sits below housing in the layers, so it cannot ask which building a resident lives in.
A higher app (housing) registers a :class:`BuildingDirectory` at start-up
(``targeting.register_building_directory(...)`` in its AppConfig.ready); until one is
registered, nobody lives in any building and building-targeted polls reach no one.
A caller may also pass a resident's building ids explicitly to the services.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db.models import Exists, OuterRef, Q, QuerySet

from gorod.accounts.models import AccountLevel, District, Okrug, Resident
from gorod.voting import errors
from gorod.voting.models import Poll, PollBuilding


class BuildingDirectory(Protocol):
    def buildings_of(self, resident_id: int) -> set[int]:
        """Ids of the buildings the resident is verified to live in or own in."""
        ...

    def residents_of(self, building_ids: Collection[int]) -> set[int]:
        """Ids of the residents of any of these buildings."""
        ...


class _NoBuildings:
    def buildings_of(self, resident_id: int) -> set[int]:
        return set()

    def residents_of(self, building_ids: Collection[int]) -> set[int]:
        return set()


_directory: BuildingDirectory = _NoBuildings()


def register_building_directory(directory: BuildingDirectory) -> None:
    global _directory
    _directory = directory


def building_directory() -> BuildingDirectory:
    return _directory


@dataclass(frozen=True)
class Targeting:
    """Empty area and building lists mean the whole city; the level is a minimum."""

    okrug_ids: frozenset[int] = field(default_factory=frozenset)
    district_ids: frozenset[int] = field(default_factory=frozenset)
    building_ids: frozenset[int] = field(default_factory=frozenset)
    min_level: str = AccountLevel.SIMPLIFIED

    @classmethod
    def of(
        cls,
        *,
        okrug_ids: Iterable[int] = (),
        district_ids: Iterable[int] = (),
        building_ids: Iterable[int] = (),
        min_level: str = AccountLevel.SIMPLIFIED,
    ) -> Targeting:
        return cls(frozenset(okrug_ids), frozenset(district_ids), frozenset(building_ids), min_level)

    def validate(self) -> None:
        if self.min_level not in AccountLevel.values:
            raise errors.TargetingInvalid(field="min_level")
        if len(self.okrug_ids) != Okrug.objects.filter(pk__in=self.okrug_ids).count():
            raise errors.TargetingInvalid(field="okrug_ids")
        if len(self.district_ids) != District.objects.filter(pk__in=self.district_ids).count():
            raise errors.TargetingInvalid(field="district_ids")
        if any(b <= 0 for b in self.building_ids):
            raise errors.TargetingInvalid(field="building_ids")


def targeting_of(poll: Poll) -> Targeting:
    return Targeting.of(
        okrug_ids=[o.pk for o in poll.target_okrugs.all()],
        district_ids=[d.pk for d in poll.target_districts.all()],
        building_ids=[b.building_id for b in poll.target_buildings.all()],
        min_level=poll.min_level,
    )


def level_ok(resident: Any, min_level: str) -> bool:
    return AccountLevel.rank(resident.level) >= AccountLevel.rank(min_level)


def area_ok(resident: Any, spec: Targeting) -> bool:
    if not spec.okrug_ids and not spec.district_ids:
        return True
    if resident.home_district_id is None:
        return False
    if resident.home_district_id in spec.district_ids:
        return True  # no need to read the district for its okrug
    return bool(spec.okrug_ids) and resident.home_district.okrug_id in spec.okrug_ids


def buildings_ok(resident: Any, spec: Targeting, resident_building_ids: Collection[int] | None) -> bool:
    if not spec.building_ids:
        return True
    mine = (
        resident_building_ids if resident_building_ids is not None else _directory.buildings_of(resident.pk)
    )
    return bool(spec.building_ids & set(mine))


def levels_at_least(min_level: str) -> list[str]:
    rank = AccountLevel.rank(min_level)
    return [lv for lv in AccountLevel.values if AccountLevel.rank(lv) >= rank]


def polls_for(resident: Any, polls: QuerySet[Poll]) -> QuerySet[Poll]:
    """Narrow ``polls`` to those whose targeting includes the resident, in one query."""
    allowed_levels = [
        lv for lv in AccountLevel.values if AccountLevel.rank(lv) <= AccountLevel.rank(resident.level)
    ]
    has_area = Exists(Poll.target_okrugs.through.objects.filter(poll_id=OuterRef("pk"))) | Exists(
        Poll.target_districts.through.objects.filter(poll_id=OuterRef("pk"))
    )
    district = resident.home_district
    area_match = Q()
    if district is not None:
        area_match = Exists(
            Poll.target_districts.through.objects.filter(poll_id=OuterRef("pk"), district_id=district.pk)
        ) | Exists(
            Poll.target_okrugs.through.objects.filter(poll_id=OuterRef("pk"), okrug_id=district.okrug_id)
        )
    area = ~has_area | area_match if district is not None else ~has_area
    mine = _directory.buildings_of(resident.pk)
    has_buildings = Exists(PollBuilding.objects.filter(poll_id=OuterRef("pk")))
    building_match = Exists(PollBuilding.objects.filter(poll_id=OuterRef("pk"), building_id__in=mine))
    return polls.filter(area, ~has_buildings | building_match, min_level__in=allowed_levels)


def reach(spec: Targeting) -> int:
    """How many residents a targeting spec reaches (the console's preview)."""
    residents = Resident.objects.filter(is_active=True, level__in=levels_at_least(spec.min_level))
    if spec.okrug_ids or spec.district_ids:
        residents = residents.filter(
            Q(home_district_id__in=spec.district_ids) | Q(home_district__okrug_id__in=spec.okrug_ids)
        )
    if spec.building_ids:
        residents = residents.filter(pk__in=_directory.residents_of(spec.building_ids))
    return residents.count()
