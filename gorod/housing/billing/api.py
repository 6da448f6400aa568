"""/api/v1/home/...: my bills, paying them, and the payment provider's callback."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from gorod.accounts.edge import resident_of
from gorod.housing.billing import selectors as billing_selectors
from gorod.housing.billing import services as services_billing
from gorod.housing.providers import SIGNATURE_HEADER

# No tags of its own: it takes "home" from the app router it is mounted on (tags accumulate).
router = Router()


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
    # Kopecks, a JSON integer (config.api refuses `true`, which lax parsing took as 1 kopeck).
    amount: int | None = Field(
        None, ge=1, le=10**12, description="kopecks; the whole outstanding amount when omitted"
    )


class PaymentOut(Schema):
    reference: str
    bill_id: int
    amount: int
    state: str
    cashback: int
    checkout_url: str


def _payment_out(payment) -> PaymentOut:
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
    "/bills",
    operation_id="gorod_housing_api_get_bills",
    response=list[BillOut],
    summary="My bills, newest first",
)
def get_bills(request: HttpRequest, page: Query[BillPageQuery]) -> list[BillOut]:
    bills = billing_selectors.my_bills(resident_of(request))[page.offset : page.offset + page.limit]
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
    bill = billing_selectors.bill_for(resident_of(request), bill_id)
    payment = services_billing.payment_start(bill=bill, payer=resident_of(request), amount=body.amount)
    return Status(201, _payment_out(payment))


@router.get(
    "/payments/{reference}",
    operation_id="gorod_housing_api_get_payment",
    response=PaymentOut,
    summary="A payment's state",
)
def get_payment(request: HttpRequest, reference: str) -> PaymentOut:
    return _payment_out(billing_selectors.payment_for(resident_of(request), reference))


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
