from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from gorod.accounts.edge import resident_of
from gorod.accounts.models import Resident

API_PREFIX = "/"
router = Router(tags=["me"])


class MeOut(Schema):
    id: int
    username: str
    first_name: str
    last_name: str
    level: str
    home_district: str | None
    roles: list[str]


@router.get("/me", response=MeOut, summary="The signed-in resident")
def me(request: HttpRequest) -> MeOut:
    resident: Resident = resident_of(request)
    return MeOut(
        id=resident.pk,
        username=resident.username,
        first_name=resident.first_name,
        last_name=resident.last_name,
        level=resident.level,
        home_district=resident.home_district.code if resident.home_district else None,
        roles=sorted(resident.groups.values_list("name", flat=True)),
    )
