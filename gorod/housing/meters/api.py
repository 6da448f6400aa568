"""/api/v1/home/...: the meters of my premises and their readings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from gorod.accounts.edge import resident_of
from gorod.housing.meters import selectors as meters_selectors
from gorod.housing.meters import services as services_meters

# No tags of its own: it takes "home" from the app router it is mounted on (tags accumulate).
router = Router()


class MeterOut(Schema):
    id: int
    premise_id: int
    resource: str
    serial: str
    tariffs: int
    verification_due: dt.date
    last_period: dt.date | None
    last_values: list[Decimal]


# A reading as the meter shows it: digits with a point or a comma before the decimals (the
# service also trims white space, but a client need not send any).
READING = r"^[0-9]{1,15}([.,][0-9]{1,15})?$"


class ReadingIn(Schema):
    values: list[Annotated[str, Field(pattern=READING)]] = Field(
        min_length=1, max_length=3, description="one per tariff of the meter, in its order"
    )


class ReadingOut(Schema):
    meter_id: int
    period: dt.date
    values: list[Decimal]
    consumption: Decimal
    flagged: bool
    submissions: int


def _reading_out(reading) -> ReadingOut:
    return ReadingOut(
        meter_id=reading.meter_id,
        period=reading.period,
        values=reading.values(),
        consumption=reading.consumption,
        flagged=reading.flagged,
        submissions=reading.submissions,
    )


@router.get(
    "/meters",
    operation_id="gorod_housing_api_get_meters",
    response=list[MeterOut],
    summary="My meters with their last accepted reading",
)
def get_meters(request: HttpRequest) -> list[MeterOut]:
    return [
        MeterOut(
            id=m.pk,
            premise_id=m.premise_id,
            resource=m.resource,
            serial=m.serial,
            tariffs=m.tariffs,
            verification_due=m.verification_due,
            last_period=m.last_period,  # type: ignore[attr-defined]
            last_values=[
                v
                for v in (m.last_value_1, m.last_value_2, m.last_value_3)  # type: ignore[attr-defined]
                if v is not None
            ],
        )
        for m in meters_selectors.my_meters(resident_of(request))[:100]
    ]


@router.get(
    "/meters/{meter_id}/readings",
    operation_id="gorod_housing_api_get_readings",
    response=list[ReadingOut],
    summary="A meter's accepted readings",
)
def get_readings(request: HttpRequest, meter_id: int) -> list[ReadingOut]:
    meter = meters_selectors.meter_for(resident_of(request), meter_id)
    return [_reading_out(r) for r in meters_selectors.meter_history(meter)]


@router.post(
    "/meters/{meter_id}/readings",
    operation_id="gorod_housing_api_post_reading",
    response={201: ReadingOut},
    summary="Submit a reading",
)
def post_reading(request: HttpRequest, meter_id: int, body: ReadingIn) -> Status[ReadingOut]:
    meter = meters_selectors.meter_to_submit(meter_id)
    reading = services_meters.reading_submit(meter=meter, resident=resident_of(request), values=body.values)
    return Status(201, _reading_out(reading))
