"""Reads for the resident pages and the API: bounded queries, no writes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery, Sum

from gorod.accounts.models import Resident
from gorod.housing import errors, permissions, rules
from gorod.housing.models import Bill, LinkStatus, Meter, Ownership, Payment, Premise, PremiseLink, Reading
from gorod.points.models import Transfer


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


def my_meter_resources(resident: Resident) -> list[str]:
    """What the resident's meters measure (water, electricity…), each once: the home page asks
    only this, without the last readings and buildings that ``my_meters`` joins in."""
    return list(
        Meter.objects.filter(
            premise_id__in=PremiseLink.objects.filter(resident=resident, status=LinkStatus.CONFIRMED).values(
                "premise_id"
            ),
            archived_on__isnull=True,
        )
        .order_by("resource")
        .values_list("resource", flat=True)
        .distinct()
    )


def my_meters(resident: Resident) -> QuerySet[Meter]:
    last = Reading.objects.filter(meter=OuterRef("pk")).order_by("-period")
    return (
        Meter.objects.filter(
            premise_id__in=PremiseLink.objects.filter(resident=resident, status=LinkStatus.CONFIRMED).values(
                "premise_id"
            ),
            archived_on__isnull=True,
        )
        .select_related("premise__building")
        .annotate(
            last_period=Subquery(last.values("period")[:1]),
            last_value_1=Subquery(last.values("value_1")[:1]),
            last_value_2=Subquery(last.values("value_2")[:1]),
            last_value_3=Subquery(last.values("value_3")[:1]),
        )
        .order_by("premise_id", "resource", "serial")
    )


def meter_for(resident: Resident, meter_id: int) -> Meter:
    meter = Meter.objects.select_related("premise__building").filter(pk=meter_id).first()
    if meter is None:
        raise errors.MeterNotFound()
    if not (
        permissions.linked_to_premise(resident, meter.premise_id)
        or permissions.administers(resident, meter.building_id)
    ):
        raise errors.NotYourMeter()
    return meter


def meter_to_submit(meter_id: int) -> Meter:
    """A meter by id for ``reading_submit``, which itself refuses a resident's reading for a
    meter not in a premise linked to them (a building administrator's own included):
    ``meter_for``'s join and permission query would only repeat that check."""
    meter = Meter.objects.filter(pk=meter_id).first()
    if meter is None:
        raise errors.MeterNotFound()
    return meter


def meter_history(meter: Meter, *, limit: int = 24) -> list[Reading]:
    return list(Reading.objects.filter(meter=meter).order_by("-period")[:limit])


def chart_points(history: list[Reading]) -> list[dict[str, Any]]:
    """Monthly consumption, oldest first, scaled to the largest month for a bar chart."""
    ordered = list(reversed(history))
    peak = max((r.consumption for r in ordered), default=0) or 1
    points = []
    for n, r in enumerate(ordered):
        percent = int(r.consumption * 100 / peak)
        points.append(
            {
                "period": r.period,
                "consumption": r.consumption,
                "percent": percent,
                "x": n * 24 + 4,
                "y": 105 - percent,
            }
        )
    return points


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


def flagged_readings(resident: Resident) -> QuerySet[Reading]:
    buildings = resident.administered_buildings.values("building_id")
    return (
        Reading.objects.filter(flagged=True, meter__building_id__in=buildings)
        .select_related("meter__premise__building")
        .order_by("-submitted_at")
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


def premises_of_building(building_id: int) -> QuerySet[Premise]:
    return Premise.objects.filter(building_id=building_id).order_by("number")


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
