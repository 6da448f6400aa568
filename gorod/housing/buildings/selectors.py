"""Reads about who lives where: premise links, the premises of a building, and the
building directory the voting engine uses to reach a building's residents."""

from __future__ import annotations

from collections.abc import Collection

from django.db.models import OuterRef, QuerySet, Subquery

from gorod.accounts.models import Resident
from gorod.housing.models import (
    Building,
    LinkStatus,
    Ownership,
    PremiseLink,
)


def my_links(resident: Resident) -> QuerySet[PremiseLink]:
    return (
        PremiseLink.objects.filter(resident=resident)
        .select_related("premise__building")
        .order_by("premise__building__address", "premise__number")
    )


def my_premise_ids(resident: Resident) -> list[int]:
    return list(
        PremiseLink.objects.filter(resident=resident, status=LinkStatus.CONFIRMED).values_list(
            "premise_id", flat=True
        )
    )


def pending_links(resident: Resident) -> QuerySet[PremiseLink]:
    buildings = resident.administered_buildings.values("building_id")
    return (
        PremiseLink.objects.filter(status=LinkStatus.PENDING, premise__building_id__in=buildings)
        .select_related("premise__building", "resident")
        # The register's owner name for the claimed document, shown next to the claimant's
        # name: a document number alone must not make anyone the owner of someone else's flat.
        .annotate(
            register_owner=Subquery(
                Ownership.objects.filter(
                    premise_id=OuterRef("premise_id"), document_number=OuterRef("document_number")
                ).values("owner_name")[:1]
            )
        )
        .order_by("created_at")
    )


class HousingBuildingDirectory:
    """Residents verified for a premise (confirmed link) live in its building."""

    def buildings_of(self, resident_id: int) -> set[int]:
        return set(
            PremiseLink.objects.filter(resident_id=resident_id, status=LinkStatus.CONFIRMED).values_list(
                "premise__building_id", flat=True
            )
        )

    def residents_of(self, building_ids: Collection[int]) -> set[int]:
        return set(
            PremiseLink.objects.filter(
                premise__building_id__in=list(building_ids), status=LinkStatus.CONFIRMED
            ).values_list("resident_id", flat=True)
        )


def lives_in(resident: Resident, building: Building) -> bool:
    return building.pk in HousingBuildingDirectory().buildings_of(resident.pk)
