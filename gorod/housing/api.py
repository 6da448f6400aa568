"""/api/v1/home/...: the resident's home, meters, readings, bills, payments and meetings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field, StrictInt

from gorod.accounts.models import Resident
from gorod.housing.billing import selectors as billing_selectors
from gorod.housing.billing import services as services_billing
from gorod.housing.board.api import router as neighbours_router
from gorod.housing.buildings import selectors as buildings_selectors
from gorod.housing.buildings import services as services_buildings
from gorod.housing.buildings.api import LinkOut, link_out
from gorod.housing.meetings.api import router as meetings_router
from gorod.housing.meters import selectors as meters_selectors
from gorod.housing.meters import services as services_meters
from gorod.housing.models import Premise
from gorod.housing.providers import SIGNATURE_HEADER

API_PREFIX = "/home"
router = Router(tags=["home"])
router.add_router("", neighbours_router)
router.add_router("", meetings_router)


class LinkIn(Schema):
    premise_id: int
    role: str = Field(pattern="^(owner|tenant)$")
    document_number: str = Field("", max_length=80)


class MeterOut(Schema):
    id: int
    premise_id: int
    resource: str
    serial: str
    tariffs: int
    verification_due: dt.date
    last_period: dt.date | None
    last_values: list[Decimal]


class ReadingIn(Schema):
    values: list[str] = Field(min_length=1, max_length=3)


class ReadingOut(Schema):
    meter_id: int
    period: dt.date
    values: list[Decimal]
    consumption: Decimal
    flagged: bool
    submissions: int


class BillLineOut(Schema):
    service: str
    amount: int


class BillOut(Schema):
    id: int
    premise_id: int
    period: dt.date
    payer_code: str
    amount_due: int
    amount_paid: int
    lines: list[BillLineOut]


class BillPageQuery(Schema):
    limit: int = Field(12, ge=1, le=50)
    offset: int = Field(0, ge=0, le=10_000)


class PaymentIn(Schema):
    # Kopecks, a JSON integer: lax parsing took `true` as 1 kopeck (and blocked the bill 30 min).
    amount: StrictInt | None = Field(
        None, ge=1, le=10**12, description="kopecks; the whole outstanding amount when omitted"
    )


class PaymentOut(Schema):
    reference: str
    bill_id: int
    amount: int
    state: str
    cashback: int
    checkout_url: str


def _me(request: HttpRequest) -> Resident:
    return request.user  # type: ignore[return-value]


def _reading_out(reading) -> ReadingOut:  # type: ignore[no-untyped-def]
    return ReadingOut(
        meter_id=reading.meter_id,
        period=reading.period,
        values=reading.values(),
        consumption=reading.consumption,
        flagged=reading.flagged,
        submissions=reading.submissions,
    )


def _payment_out(payment) -> PaymentOut:  # type: ignore[no-untyped-def]
    from gorod.housing.providers import checkout_url

    return PaymentOut(
        reference=payment.reference,
        bill_id=payment.bill_id,
        amount=payment.amount,
        state=payment.state,
        cashback=payment.cashback,
        checkout_url=checkout_url(payment),
    )


@router.get(
    "/links",
    operation_id="gorod_housing_api_get_links",
    response=list[LinkOut],
    summary="My premises and link requests",
)
def get_links(request: HttpRequest) -> list[LinkOut]:
    return [link_out(link) for link in buildings_selectors.my_links(_me(request))[:50]]


@router.post(
    "/links",
    operation_id="gorod_housing_api_post_link",
    response={201: LinkOut},
    summary="Ask to be linked to a premise",
)
def post_link(request: HttpRequest, body: LinkIn) -> Status[LinkOut]:
    premise = Premise.objects.select_related("building").filter(pk=body.premise_id).first()
    if premise is None:
        from gorod.housing.errors import PremiseNotFound

        raise PremiseNotFound()
    link = services_buildings.link_request(
        resident=_me(request), premise=premise, role=body.role, document_number=body.document_number
    )
    return Status(201, link_out(link))


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
        for m in meters_selectors.my_meters(_me(request))[:100]
    ]


@router.get(
    "/meters/{meter_id}/readings",
    operation_id="gorod_housing_api_get_readings",
    response=list[ReadingOut],
    summary="A meter's accepted readings",
)
def get_readings(request: HttpRequest, meter_id: int) -> list[ReadingOut]:
    meter = meters_selectors.meter_for(_me(request), meter_id)
    return [_reading_out(r) for r in meters_selectors.meter_history(meter)]


@router.post(
    "/meters/{meter_id}/readings",
    operation_id="gorod_housing_api_post_reading",
    response={201: ReadingOut},
    summary="Submit a reading",
)
def post_reading(request: HttpRequest, meter_id: int, body: ReadingIn) -> Status[ReadingOut]:
    meter = meters_selectors.meter_to_submit(meter_id)
    reading = services_meters.reading_submit(meter=meter, resident=_me(request), values=body.values)
    return Status(201, _reading_out(reading))


@router.get(
    "/bills",
    operation_id="gorod_housing_api_get_bills",
    response=list[BillOut],
    summary="My bills, newest first",
)
def get_bills(request: HttpRequest, page: Query[BillPageQuery]) -> list[BillOut]:
    bills = billing_selectors.my_bills(_me(request))[page.offset : page.offset + page.limit]
    return [
        BillOut(
            id=b.pk,
            premise_id=b.premise_id,
            period=b.period,
            payer_code=b.payer_code,
            amount_due=b.amount_due,
            amount_paid=b.amount_paid,
            lines=[BillLineOut(service=line.service, amount=line.amount) for line in b.lines.all()],
        )
        for b in bills
    ]


@router.post(
    "/bills/{bill_id}/payments",
    operation_id="gorod_housing_api_post_payment",
    response={201: PaymentOut},
    summary="Start paying a bill",
)
def post_payment(request: HttpRequest, bill_id: int, body: PaymentIn) -> Status[PaymentOut]:
    bill = billing_selectors.bill_for(_me(request), bill_id)
    payment = services_billing.payment_start(bill=bill, payer=_me(request), amount=body.amount)
    return Status(201, _payment_out(payment))


@router.get(
    "/payments/{reference}",
    operation_id="gorod_housing_api_get_payment",
    response=PaymentOut,
    summary="A payment's state",
)
def get_payment(request: HttpRequest, reference: str) -> PaymentOut:
    return _payment_out(billing_selectors.payment_for(_me(request), reference))


@router.post(
    "/payments/callback/{provider_code}",
    operation_id="gorod_housing_api_post_callback",
    response=PaymentOut,
    auth=None,
    url_name="housing_payment_callback",
    summary="Provider callback (HMAC-signed in the X-Bank-Signature header; README, 'Plugging in a bank')",
)
def post_callback(request: HttpRequest, provider_code: str) -> PaymentOut:
    payment = services_billing.payment_callback(
        provider_code=provider_code,
        body=request.body,
        signature=request.headers.get(SIGNATURE_HEADER, ""),
    )
    return _payment_out(payment)
