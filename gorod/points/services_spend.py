"""Points leaving a wallet, and corrections: spends, holds, reversals, expiry. Every function is
one transaction (or joins the caller's), built from the ledger's write steps (``ledger.py``).

Invariants kept here, under any concurrency:
- a source-event key is applied at most once (unique constraint on Transfer/Hold.source_key);
- a wallet's available points (balance − held) never go below zero by a spend or hold
  (guarded UPDATE ... WHERE balance - held >= amount); only a reversal may leave a debt;
- balances move only together with the transfer that explains them, in the same transaction.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import BigIntegerField, Case, F, Sum, Value, When
from django.utils import timezone

from gorod.accounts.models import Resident
from gorod.core.messages import Message
from gorod.points import accounts, ledger, rules
from gorod.points.errors import (
    AlreadyReversed,
    HoldNotActive,
    InsufficientPoints,
    SourceKeyConflict,
)
from gorod.points.models import Hold, HoldStatus, LedgerAccount, Lot, Programme, Transfer


def _draw_lots(account_id: int, amount: int) -> None:
    """Spend from the soonest-expiring lots first; points without expiry cover the rest."""
    left = amount
    for lot in (
        Lot.objects.select_for_update()
        .filter(account_id=account_id, remaining__gt=0)
        .order_by("expires_at", "pk")
        .only("pk", "remaining")
    ):
        take = min(left, lot.remaining)
        Lot.objects.filter(pk=lot.pk).update(remaining=F("remaining") - take)
        left -= take
        if left == 0:
            return


def spend(
    *,
    resident: Resident,
    to_account: LedgerAccount,
    amount: int,
    reason: str,
    source_key: str,
    programme: Programme | None = None,
    actor: Resident | None = None,
    memo: str | Message = "",
) -> Transfer:
    """Move points out of a resident's wallet at once (e.g. a donation); idempotent by key."""
    rules.check_amount(amount)
    with transaction.atomic():
        existing = Transfer.objects.filter(source_key=source_key).first()
        if existing is not None:
            return _same_amount(existing, amount)
        wallet_id = accounts.wallet_id_of(resident)
        # Both accounts are locked first and in primary-key order, as every multi-row balance
        # change does (docs/points-ledger.md): a reversal of a spend locks the same two rows in
        # that order, and a spend that took the wallet first could deadlock with it.
        wallet = ledger.lock_in_id_order(wallet_id, to_account.pk)[wallet_id]
        if wallet.balance - wallet.held < amount:
            raise InsufficientPoints(available=max(wallet.available, 0), required=amount)
        # A concurrent duplicate waited on the locks above and is skipped here, before any
        # balance moves: the first one's transfer is the answer.
        transfer = ledger.write_transfer(
            debit_id=wallet_id,
            credit_id=to_account.pk,
            amount=amount,
            source_key=source_key,
            memo=memo,
            programme_id=programme.pk if programme is not None else None,
            reason=reason,
            actor_id=actor.pk if actor is not None else None,
        )
        if transfer is None:
            return _same_amount(Transfer.objects.get(source_key=source_key), amount)
        _draw_lots(wallet_id, amount)
        return transfer


def _same_amount(existing: Transfer, amount: int) -> Transfer:
    if existing.amount != amount:
        raise SourceKeyConflict(source_key=existing.source_key)
    return existing


def hold(
    *,
    resident: Resident,
    amount: int,
    reason: str,
    source_key: str,
    expires_at: dt.datetime,
    programme: Programme | None = None,
) -> Hold:
    """Set points aside for a pending spend; refused if they are not available."""
    rules.check_amount(amount)
    with transaction.atomic():
        existing = Hold.objects.filter(source_key=source_key).first()
        if existing is not None:
            if existing.amount != amount:
                raise SourceKeyConflict(source_key=source_key)
            return existing
        wallet_id = accounts.wallet_id_of(resident)
        try:
            with transaction.atomic():
                held = Hold.objects.create(
                    account_id=wallet_id,
                    amount=amount,
                    reason=reason,
                    source_key=source_key,
                    expires_at=expires_at,
                    programme=programme,
                )
        except IntegrityError:
            existing = Hold.objects.get(source_key=source_key)
            if existing.amount != amount:
                raise SourceKeyConflict(source_key=source_key) from None
            return existing
        updated = LedgerAccount.objects.filter(pk=wallet_id, balance__gte=F("held") + amount).update(
            held=F("held") + amount
        )
        if not updated:
            account = LedgerAccount.objects.get(pk=wallet_id)
            raise InsufficientPoints(available=max(account.available, 0), required=amount)
        return held


def _locked_active_hold(hold_id: int) -> Hold:
    held = Hold.objects.select_for_update().get(pk=hold_id)
    if held.status != HoldStatus.ACTIVE:
        raise HoldNotActive(hold_id=hold_id, status=held.status)
    return held


def post_hold(
    *, hold_id: int, to_account: LedgerAccount, actor: Resident | None = None, memo: str | Message = ""
) -> Transfer:
    """Turn a hold into a transfer to ``to_account`` (e.g. a partner at pickup)."""
    with transaction.atomic():
        held = _locked_active_hold(hold_id)
        now = timezone.now()
        Hold.objects.filter(pk=held.pk).update(status=HoldStatus.POSTED, resolved_at=now)
        for account_id, balance_delta, held_delta in sorted(
            [(held.account_id, -held.amount, -held.amount), (to_account.pk, held.amount, 0)]
        ):
            LedgerAccount.objects.filter(pk=account_id).update(
                balance=F("balance") + balance_delta, held=F("held") + held_delta
            )
        _draw_lots(held.account_id, held.amount)
        new, columns = ledger.one_transfer(
            debit_id=held.account_id,
            credit_id=to_account.pk,
            amount=held.amount,
            source_key=f"hold:{held.pk}",
            memo=memo,
            programme_id=held.programme_id,
            reason=held.reason,
            hold_id=held.pk,
            actor_id=actor.pk if actor is not None else None,
            created_at=now,
        )
        (pk,) = new.insert(columns)
        # The hold is locked and still active, so no one else can have posted it.
        assert pk is not None
        return new.instances([pk], columns)[0]


def void_hold(*, hold_id: int, expired: bool = False) -> Hold:
    """Release held points back to available (cancellation or expiry)."""
    with transaction.atomic():
        held = _locked_active_hold(hold_id)
        status = HoldStatus.EXPIRED if expired else HoldStatus.VOIDED
        Hold.objects.filter(pk=held.pk).update(status=status, resolved_at=timezone.now())
        LedgerAccount.objects.filter(pk=held.account_id).update(held=F("held") - held.amount)
        held.status = status
        return held


def holds_expire(*, now: dt.datetime | None = None, batch_size: int = 1000) -> int:
    """Expire every active hold past its expiry, set-based, in batches; idempotent."""
    now = now or timezone.now()
    total = 0
    while True:
        with transaction.atomic():
            ids = list(
                Hold.objects.select_for_update()
                .filter(status=HoldStatus.ACTIVE, expires_at__lte=now)
                .order_by("pk")
                .values_list("pk", flat=True)[:batch_size]
            )
            if not ids:
                return total
            per_account = dict(
                Hold.objects.filter(pk__in=ids)
                .values_list("account_id")
                .annotate(amount=Sum("amount"))
                .values_list("account_id", "amount")
            )
            # One statement releases the whole batch: a CASE over the accounts, in pk order.
            ordered = sorted(per_account.items())
            LedgerAccount.objects.filter(pk__in=[pk for pk, _ in ordered]).update(
                held=F("held")
                - Case(
                    *[When(pk=pk, then=Value(amount)) for pk, amount in ordered],
                    output_field=BigIntegerField(),
                )
            )
            Hold.objects.filter(pk__in=ids).update(status=HoldStatus.EXPIRED, resolved_at=now)
            total += len(ids)


def reverse(
    *,
    transfer: Transfer,
    reason: str = "reversal",
    actor: Resident | None = None,
    amount: int | None = None,
    source_key: str | None = None,
    memo: str | Message = "",
) -> Transfer:
    """Take back (part of) a transfer with a new, linked transfer in the opposite direction.

    Policy for points already spent: the reversal still happens and the wallet goes negative,
    shown to the resident as a debt that later earnings pay off. It is never silently skipped.
    """
    amount = transfer.amount if amount is None else amount
    rules.check_amount(amount)
    key = source_key or f"reverse:{transfer.pk}"
    with transaction.atomic():
        # Lock the original's accounts first so two partial reversals cannot both pass the check
        # and a concurrent replay of the same reversal sees the first one.
        ledger.lock_in_id_order(transfer.debit_id, transfer.credit_id)
        existing = Transfer.objects.filter(source_key=key).first()
        if existing is not None:
            return _same_amount(existing, amount)
        already = Transfer.objects.filter(reverses=transfer).aggregate(total=Sum("amount"))["total"] or 0
        if already + amount > transfer.amount:
            raise AlreadyReversed(transfer_id=transfer.pk)
        # The original's accounts are locked and the key was checked under that lock: the
        # insert cannot be skipped.
        reversal = ledger.write_transfer(
            debit_id=transfer.credit_id,
            credit_id=transfer.debit_id,
            amount=amount,
            source_key=key,
            memo=memo,
            programme_id=transfer.programme_id,
            reason=reason,
            reverses_id=transfer.pk,
            actor_id=actor.pk if actor is not None else None,
        )
        assert reversal is not None
        if transfer.rule_version_id is not None and transfer.programme_id is not None:
            Programme.objects.filter(pk=transfer.programme_id, budget__isnull=False).update(
                budget_used=F("budget_used") - amount
            )
        lot = Lot.objects.select_for_update().filter(transfer=transfer).first()
        if lot is not None:
            Lot.objects.filter(pk=lot.pk).update(remaining=max(0, lot.remaining - amount))
        return reversal


def lots_expire(*, now: dt.datetime | None = None) -> int:
    """Move unspent points of expired lots to the ``expired`` account; idempotent."""
    now = now or timezone.now()
    expired_id = accounts.expired_account().pk
    count = 0
    lot_ids = list(Lot.objects.filter(remaining__gt=0, expires_at__lte=now).values_list("pk", flat=True))
    for lot_id in lot_ids:
        with transaction.atomic():
            lot = Lot.objects.select_for_update().get(pk=lot_id)
            if lot.remaining <= 0:
                continue
            wallet = LedgerAccount.objects.select_for_update().get(pk=lot.account_id)
            # Points already set aside by a hold stay with their order.
            amount = min(lot.remaining, max(wallet.available, 0))
            Lot.objects.filter(pk=lot.pk).update(remaining=0)
            if amount > 0:
                ledger.write_transfer(
                    debit_id=wallet.pk,
                    credit_id=expired_id,
                    amount=amount,
                    source_key=f"expiry:{lot.pk}",
                    programme_id=None,
                    reason="expiry",
                    created_at=now,
                )
                count += 1
    return count
