"""Reads of bills and payments, and the audit of cashback overpaid by a wrong rule."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet, Sum

from gorod.accounts.models import Resident
from gorod.housing import errors, permissions
from gorod.housing.billing import rules
from gorod.housing.buildings.selectors import my_premise_ids
from gorod.housing.models import (
    Bill,
    Payment,
)
from gorod.points.models import Transfer


def my_bills(resident: Resident) -> QuerySet[Bill]:
    return (
        Bill.objects.filter(premise_id__in=my_premise_ids(resident))
        .select_related("premise__building")
        .prefetch_related("lines")
        .order_by("-period", "premise_id")
    )


def bill_for(resident: Resident, bill_id: int) -> Bill:
    bill = (
        Bill.objects.select_related("premise__building")
        .prefetch_related("lines", Prefetch("payments", queryset=Payment.objects.order_by("-created_at")))
        .filter(pk=bill_id)
        .first()
    )
    if bill is None:
        raise errors.BillNotFound()
    if not (
        permissions.linked_to_premise(resident, bill.premise_id)
        or permissions.administers(resident, bill.premise.building_id)
    ):
        raise errors.NotYourBill()
    return bill


def payment_for(resident: Resident, reference: str) -> Payment:
    payment = Payment.objects.select_related("bill__premise__building").filter(reference=reference).first()
    if payment is None or payment.payer_id != resident.pk:
        raise errors.PaymentNotFound()
    return payment


@dataclass(frozen=True)
class CashbackExcess:
    """A payment whose cashback transfer kept more points than the rule pays for its amount."""

    payment_id: int
    payer_id: int
    amount_kopecks: int
    transfer_id: int
    kept_points: int  # what the cashback transfer still gives, after any reversal
    due_points: int  # what the rule version that paid it gives for this amount
    excess_points: int


def cashback_excesses() -> Iterator[CashbackExcess]:
    """Every payment overpaid by a wrong cashback rule (the kopecks-as-roubles slip), oldest first.

    The due amount is recomputed with the percentage of the very rule version that paid, so a
    later change of the rate is not applied backwards; a payment since refunded keeps nothing.
    """
    payments = {
        p.pk: p for p in Payment.objects.filter(cashback__gt=0).only("pk", "payer_id", "amount", "state")
    }
    keys = {f"payment:{pk}": pk for pk in payments}
    if not keys:
        return
    transfers = (
        Transfer.objects.filter(source_key__in=list(keys))
        .select_related("rule_version")
        .annotate(reversed_points=Sum("reversals__amount"))
        .order_by("pk")
    )
    for transfer in transfers:
        payment = payments[keys[str(transfer.source_key)]]
        kept = transfer.amount - (transfer.reversed_points or 0)
        basis_points = transfer.rule_version.percent_basis_points if transfer.rule_version else None
        if basis_points is None:
            continue
        due = rules.cashback_points(payment.amount, basis_points) if payment.state == "done" else 0
        if kept > due:
            yield CashbackExcess(
                payment_id=payment.pk,
                payer_id=payment.payer_id,
                amount_kopecks=payment.amount,
                transfer_id=transfer.pk,
                kept_points=kept,
                due_points=due,
                excess_points=kept - due,
            )
