"""A place as a form sends it (``accounts/_place_pick.html``): the id of an address of the city's
register chosen from the suggestions, or a point clicked on the map, or, without JavaScript, the
typed address when it names exactly one address of the register."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from gorod.accounts.errors import AddressNotChosen
from gorod.accounts.selectors import address_suggestions


@dataclass(frozen=True)
class PlaceInput:
    address_id: int | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None

    @property
    def given(self) -> bool:
        return self.address_id is not None or self.latitude is not None or self.longitude is not None


def _decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip()[:20])
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def place_from_form(data: Mapping[str, str]) -> PlaceInput:
    """What the form's place fields say; nothing given is an empty ``PlaceInput``."""
    address_id = (data.get("address_id") or "").strip()
    if address_id.isdigit() and len(address_id) < 19:
        return PlaceInput(address_id=int(address_id))
    latitude, longitude = (data.get("latitude") or "").strip(), (data.get("longitude") or "").strip()
    if latitude or longitude:
        return PlaceInput(latitude=_decimal(latitude), longitude=_decimal(longitude))
    typed = (data.get("address") or "").strip()[:200]
    if not typed:
        return PlaceInput()
    found = address_suggestions(typed, limit=2)
    if len(found) != 1:
        raise AddressNotChosen(field="address")
    return PlaceInput(address_id=found[0].pk)
