from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from gorod.accounts import services
from gorod.accounts.edge import resident_of
from gorod.accounts.errors import UnknownDistrict
from gorod.accounts.models import District, Resident
from gorod.core.api_fields import NON_BLANK

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
    consents_to_notifications: bool


class ProfileIn(Schema):
    first_name: str = Field(..., max_length=150, pattern=NON_BLANK)
    last_name: str = Field("", max_length=150)
    home_district: str | None = Field(None, max_length=40, description="A district's code, or null")
    consents_to_notifications: bool = False


@router.get("/me", response=MeOut, summary="The signed-in resident")
def me(request: HttpRequest) -> MeOut:
    return _me_out(resident_of(request))


@router.put(
    "/me", response=MeOut, summary="Edit my profile (name, home district, notifications), as on the site"
)
def put_me(request: HttpRequest, body: ProfileIn) -> MeOut:
    district = None
    if body.home_district is not None:
        district = District.objects.filter(code=body.home_district).first()
        if district is None:
            raise UnknownDistrict(field="home_district")
    resident = services.resident_profile_update(
        resident=resident_of(request),
        first_name=body.first_name.strip(),
        last_name=body.last_name.strip(),
        home_district=district,
        consents_to_notifications=body.consents_to_notifications,
    )
    return _me_out(resident)


def _me_out(resident: Resident) -> MeOut:
    return MeOut(
        id=resident.pk,
        username=resident.username,
        first_name=resident.first_name,
        last_name=resident.last_name,
        level=resident.level,
        home_district=resident.home_district.code if resident.home_district else None,
        roles=sorted(resident.groups.values_list("name", flat=True)),
        consents_to_notifications=resident.consents_to_notifications,
    )
