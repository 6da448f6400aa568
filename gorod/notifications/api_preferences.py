"""/api/v1/notifications/preferences: which notifications also come by e-mail (the page's form)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Router, Schema
from pydantic import JsonValue, StrictBool

from gorod.accounts.edge import resident_of
from gorod.accounts.models import Resident
from gorod.notifications import selectors, services
from gorod.notifications.kinds import KINDS

router = Router(tags=["notifications"])


class PreferenceOut(Schema):
    kind: str
    label: str
    by_email: bool


KIND_NAMES: list[JsonValue] = [*sorted(KINDS)]


class PreferencesIn(Schema):
    # The kinds are the platform's own (kinds.KINDS): the document names them, as the service
    # refuses any other. Strict booleans: the document says boolean, and pydantic would also read
    # 0/1 and "yes"/"no".
    by_email: dict[str, StrictBool] = Field(json_schema_extra={"propertyNames": {"enum": KIND_NAMES}})


def _mine(resident: Resident) -> list[PreferenceOut]:
    return [
        PreferenceOut(kind=kind, label=label, by_email=by_email)
        for kind, label, by_email in selectors.preferences(resident)
    ]


@router.get("/preferences", response=list[PreferenceOut], summary="My notification preferences")
def get_preferences(request: HttpRequest) -> list[PreferenceOut]:
    return _mine(resident_of(request))


@router.put(
    "/preferences",
    response={200: list[PreferenceOut], 422: dict},
    summary="Choose which notifications also come by e-mail (kinds not named stay as they are)",
)
def put_preferences(request: HttpRequest, body: PreferencesIn) -> list[PreferenceOut]:
    services.preferences_set(resident=resident_of(request), by_email=body.by_email)
    return _mine(resident_of(request))
