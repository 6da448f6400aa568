"""Writes for bills and payments: start a payment, apply provider callbacks, refund.

A payment's state only moves forward (rules.PAYMENT_MOVES). Cashback is awarded when a payment
is done (once: source key ``payment:<id>``) and reversed when it is refunded.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from gorod.accounts.models import Resident
from gorod.accounts.services import audit_record
from gorod.core.messages import Message, ngettext_noop
from gorod.housing import errors, permissions, providers
from gorod.housing.billing import rules
from gorod.housing.billing.rules import cashback_key
from gorod.housing.billing.selectors import CashbackExcess
from gorod.housing.meters import rules as meters_rules
from gorod.housing.models import Bill, BillLine, Payment, PaymentEvent, PaymentState, Premise
from gorod.housing.permissions import require_admin
from gorod.points import services as points
from gorod.points import services_spend as points_spend
from gorod.points.models import Transfer

PROGRAMME = "electronic_home"
STALE_AFTER = dt.timedelta(minutes=30)
IN_FLIGHT = (PaymentState.CREATED, PaymentState.PROCESSING)


@transaction.atomic
@transaction.atomic
def bill_create(
    *, premise: Premise, period: dt.date, payer_code: str, lines: Sequence[tuple[str, int]], actor: Resident
) -> Bill:
    """One bill typed in by the administrator: the bill, its lines and the audit entry in one
    transaction (the lines used to be written after the bill's own savepoint had committed)."""
    require_admin(actor, premise.building_id)
    if not lines or any(amount <= 0 or not service.strip() for service, amount in lines):
        raise errors.BillLinesInvalid(field="lines")
    try:
        with transaction.atomic():
            bill = Bill.objects.create(
                premise=premise,
                period=meters_rules.first_of_month(period),
                payer_code=payer_code,
                amount_due=sum(amount for _service, amount in lines),
            )
    except IntegrityError:
        raise errors.BillExists(field="period") from None
    BillLine.objects.bulk_create(
        [BillLine(bill=bill, service=service.strip(), amount=amount) for service, amount in lines]
    )
    audit_record(
        actor=actor, action="housing.bill_create", target=bill, after={"amount_due": bill.amount_due}
    )
    return bill


@transaction.atomic
def payment_start(
    *, bill: Bill, payer: Resident, amount: int | None = None, provider_code: str | None = None
) -> Payment:
    """Open a payment for (part of) what is still due. Under the bill's row lock, so two tabs
    cannot both pay the same kopecks; an abandoned attempt stops blocking after 30 minutes."""
    if not permissions.linked_to_premise(payer, bill.premise_id):
        raise errors.NotYourBill()
    if provider_code is None:
        provider_code = providers.default_code()
    else:
        providers.provider(provider_code)
    locked = Bill.objects.select_for_update().get(pk=bill.pk)
    now = timezone.now()
    Payment.objects.filter(bill=locked, state__in=IN_FLIGHT, created_at__lt=now - STALE_AFTER).update(
        state=PaymentState.FAILED, updated_at=now
    )
    if locked.amount_paid >= locked.amount_due:
        raise errors.BillAlreadyPaid()
    if Payment.objects.filter(bill=locked, state__in=IN_FLIGHT).exists():
        raise errors.PaymentInProgress()
    outstanding = locked.amount_due - locked.amount_paid
    amount = outstanding if amount is None else amount
    if isinstance(amount, bool) or not isinstance(amount, int) or not 0 < amount <= outstanding:
        raise errors.PaymentAmountInvalid(outstanding=outstanding, field="amount")
    return Payment.objects.create(
        bill=locked,
        payer=payer,
        amount=amount,
        provider=provider_code,
        reference=secrets.token_urlsafe(18),
        created_at=now,
        updated_at=now,
    )


def _apply(payment: Payment, target: str, now: dt.datetime) -> None:
    """Move a locked payment to ``target`` with its effects on the bill and the points."""
    Payment.objects.filter(pk=payment.pk).update(state=target, updated_at=now)
    if target == PaymentState.DONE:
        updated = Bill.objects.filter(
            pk=payment.bill_id, amount_paid__lte=F("amount_due") - payment.amount
        ).update(amount_paid=F("amount_paid") + payment.amount)
        if not updated:
            raise errors.BillAlreadyPaid()
        award = points.award(
            resident=payment.payer,
            programme=PROGRAMME,
            action="bill_cashback",
            base_amount=rules.cashback_base_roubles(payment.amount),
            source_key=cashback_key(payment.pk),
        )
        Payment.objects.filter(pk=payment.pk).update(cashback=award.amount)
        payment.cashback = award.amount
    elif target == PaymentState.REFUNDED:
        Bill.objects.filter(pk=payment.bill_id).update(amount_paid=F("amount_paid") - payment.amount)
        transfer = Transfer.objects.filter(source_key=cashback_key(payment.pk)).first()
        if transfer is not None:
            points_spend.reverse(
                transfer=transfer, reason="bill_cashback_refund", source_key=f"refund:{payment.pk}"
            )
    payment.state = target


@transaction.atomic
def payment_callback(
    *, provider_code: str, body: bytes, signature: str, now: dt.datetime | None = None
) -> Payment:
    """Apply an authenticated provider callback once. A repeated event is acknowledged with no
    effect; a move backwards (e.g. 'processing' after 'done') is refused and nothing is written."""
    now = now or timezone.now()
    event = providers.provider(provider_code).verify_callback(body=body, signature=signature, now=now)
    payment = (
        Payment.objects.select_for_update().select_related("payer").filter(reference=event.reference).first()
    )
    if payment is None or payment.provider != provider_code:
        raise errors.PaymentNotFound()
    if PaymentEvent.objects.filter(provider=provider_code, event_id=event.event_id).exists():
        return payment
    if event.amount != payment.amount:
        raise errors.CallbackSignatureInvalid()
    if event.state != payment.state and not rules.may_move(payment.state, event.state):
        raise errors.PaymentStateBackwards(current=payment.state, target=event.state)
    applied = event.state != payment.state
    PaymentEvent.objects.create(
        payment=payment, provider=provider_code, event_id=event.event_id, state=event.state, applied=applied
    )
    if applied:
        _apply(payment, event.state, now)
    return payment


@transaction.atomic
def payment_refund(*, payment: Payment, actor: Resident, reason: str) -> Payment:
    """The administrator refunds a done payment; the fake bank confirms at once (a real
    provider would confirm with a 'refunded' callback, handled by payment_callback)."""
    require_admin(actor, payment.bill.premise.building_id)
    locked = Payment.objects.select_for_update().select_related("payer").get(pk=payment.pk)
    if not rules.may_move(locked.state, PaymentState.REFUNDED):
        raise errors.PaymentStateBackwards(current=locked.state, target=PaymentState.REFUNDED)
    PaymentEvent.objects.create(
        payment=locked,
        provider=locked.provider,
        event_id=f"{locked.reference}:refunded",
        state="refunded",
        applied=True,
    )
    _apply(locked, PaymentState.REFUNDED, timezone.now())
    audit_record(actor=actor, action="housing.payment_refund", target=locked, reason=reason)
    return locked


def cashback_correct(*, excess: CashbackExcess, actor: Resident | None = None) -> Transfer:
    """Take back what a wrong cashback rule overpaid on one payment, as a reversal of the part
    in excess (the ledger is never edited). Idempotent: the key is the payment's, and a second
    run finds no excess; a different excess under the same key is refused by the ledger."""
    with transaction.atomic():
        transfer = Transfer.objects.get(pk=excess.transfer_id)
        reversal = points_spend.reverse(
            transfer=transfer,
            amount=excess.excess_points,
            reason="bill_cashback_correction",
            source_key=f"cashback-correction:{excess.payment_id}",
            actor=actor,
            memo=Message(
                *ngettext_noop(
                    "Cashback of payment %(payment)s recomputed: %(count)d point due",
                    "Cashback of payment %(payment)s recomputed: %(count)d points due",
                ),
                payment=excess.payment_id,
                count=excess.due_points,
            ),
        )
        Payment.objects.filter(pk=excess.payment_id).update(cashback=excess.due_points)
        audit_record(
            actor=actor,
            action="housing.cashback_correct",
            target=transfer,
            before={"cashback": excess.kept_points},
            after={"cashback": excess.due_points},
            reason="bill cashback paid on kopecks instead of roubles",
        )
    return reversal
