"""Writes to the points ledger. Every function is one transaction (or joins the caller's).

Invariants kept here, under any concurrency:
- a source-event key is applied at most once (unique constraint on Transfer/Hold.source_key);
- a wallet's available points (balance − held) never go below zero by a spend or hold
  (guarded UPDATE ... WHERE balance - held >= amount); only a reversal may leave a debt;
- balances move only together with the transfer that explains them, in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import BigIntegerField, Case, F, Sum, Value, When
from django.utils import timezone

from gorod.accounts.models import Resident
from gorod.core.time import city_today
from gorod.points import accounts, rules, sql
from gorod.points.errors import (
    AlreadyReversed,
    BudgetExhausted,
    HoldNotActive,
    InsufficientPoints,
    NonPositiveAmount,
    SourceKeyConflict,
    UnknownEarningRule,
)
from gorod.points.models import (
    AccountKind,
    CapUsage,
    Hold,
    HoldStatus,
    LedgerAccount,
    Lot,
    Programme,
    RuleVersion,
    Transfer,
)


@dataclass(frozen=True)
class Award:
    """What an earning produced. ``amount`` may be 0 (simplified account, cap reached, rule off)."""

    transfer: Transfer | None
    amount: int
    requested: int
    replayed: bool = False
    remaining_allowance: int | None = None


def move_balances(*, debit_id: int, credit_id: int, amount: int) -> None:
    """Apply one transfer to the materialised balances, locking rows in primary-key order."""
    sql.add_to_balances([(debit_id, -amount), (credit_id, amount)])


def _withdraw_available(account_id: int, amount: int) -> None:
    """Take ``amount`` from an account's available points or refuse; never below zero."""
    updated = LedgerAccount.objects.filter(pk=account_id, balance__gte=F("held") + amount).update(
        balance=F("balance") - amount
    )
    if not updated:
        account = LedgerAccount.objects.get(pk=account_id)
        raise InsufficientPoints(available=max(account.available, 0), required=amount)


def _check_amount(amount: int) -> None:
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        raise NonPositiveAmount(field="amount")


def current_version(programme: str, action: str) -> RuleVersion:
    version = (
        RuleVersion.objects.select_related("rule__programme")
        .filter(rule__programme__code=programme, rule__action=action)
        .order_by("-number")
        .first()
    )
    if version is None:
        raise UnknownEarningRule(programme=programme, action=action)
    return version


def terms_of(version: RuleVersion) -> rules.Terms:
    return rules.Terms(
        amount_simplified=version.amount_simplified,
        amount_standard=version.amount_standard,
        amount_full=version.amount_full,
        percent_basis_points=version.percent_basis_points,
        cap_amount=version.cap_amount,
        cap_period=version.cap_period,
    )


def is_in_window(version: RuleVersion, now: dt.datetime) -> bool:
    return (version.valid_from is None or version.valid_from <= now) and (
        version.valid_until is None or now < version.valid_until
    )


def _replay(existing: Transfer, basis: int | None) -> Award:
    if existing.basis != basis:
        raise SourceKeyConflict(source_key=existing.source_key)
    return Award(transfer=existing, amount=existing.amount, requested=existing.amount, replayed=True)


def _locked_cap_usage(wallet_id: int, rule_id: int, scope: str) -> CapUsage:
    usage = (
        CapUsage.objects.select_for_update()
        .filter(account_id=wallet_id, rule_id=rule_id, scope=scope)
        .first()
    )
    if usage is not None:
        return usage
    try:
        with transaction.atomic():
            CapUsage.objects.create(account_id=wallet_id, rule_id=rule_id, scope=scope)
    except IntegrityError:
        pass
    return CapUsage.objects.select_for_update().get(account_id=wallet_id, rule_id=rule_id, scope=scope)


def _spend_from_budget(programme: Programme, amount: int) -> None:
    if programme.budget is None:
        return
    updated = Programme.objects.filter(pk=programme.pk, budget__gte=F("budget_used") + amount).update(
        budget_used=F("budget_used") + amount
    )
    if not updated:
        raise BudgetExhausted(programme=programme.code)


def award(
    *,
    resident: Resident,
    programme: str,
    action: str,
    source_key: str,
    base_amount: int | None = None,
    amount: int | None = None,
    cap_scope: str | None = None,
    actor: Resident | None = None,
    memo: str = "",
) -> Award:
    """Grant points for an event by the programme's current earning rule; idempotent by key.

    The same ``source_key`` again returns the first result; with a different base amount or
    explicit amount it raises ``SourceKeyConflict``. Joins the caller's transaction.
    """
    if amount is not None:
        _check_amount(amount)
    basis = base_amount if base_amount is not None else amount
    shard = accounts.issuance_shard(resident.pk)
    context = sql.award_context(
        programme=programme,
        action=action,
        source_key=source_key,
        wallet_key=accounts.wallet_key(resident.pk),
        issuance_key=accounts.issuance_key(programme, shard),
    )
    if context.existing_transfer_id is not None:
        return _replay(Transfer.objects.get(pk=context.existing_transfer_id), basis)
    version = context.version
    if version is None:
        raise UnknownEarningRule(programme=programme, action=action)
    now = timezone.now()
    if not is_in_window(version, now):
        return Award(transfer=None, amount=0, requested=0)
    requested = rules.requested_amount(
        terms_of(version), level=resident.level, base_amount=base_amount, amount=amount
    )
    if requested <= 0:
        return Award(transfer=None, amount=0, requested=requested)
    prog = version.rule.programme
    # A first award opens the wallet: one INSERT ... ON CONFLICT, no look-up, no savepoint.
    wallet_id = (
        context.wallet_id
        or sql.open_account_once(
            LedgerAccount(
                key=accounts.wallet_key(resident.pk), kind=AccountKind.WALLET, resident_id=resident.pk
            )
        )
        or accounts.wallet_of(resident).pk
    )
    issuance_id = context.issuance_id or accounts.issuance_of(prog, shard=shard).pk
    # Without a cap or budget nothing can refuse after the insert, so no savepoint is needed
    # (two round trips fewer); a cap or budget may refuse late and must undo the insert.
    guarded = version.cap_amount is not None or prog.budget is not None
    with transaction.atomic(savepoint=guarded):
        grant, remaining, usage = requested, None, None
        if version.cap_amount is not None:
            scope = rules.cap_scope(version.cap_period, city_day=city_today(), scope=cap_scope)
            usage = _locked_cap_usage(wallet_id, version.rule_id, scope)
            grant = rules.clamp_to_cap(requested, used=usage.used, cap=version.cap_amount)
            remaining = version.cap_amount - usage.used - grant
        if grant <= 0:
            return Award(transfer=None, amount=0, requested=requested, remaining_allowance=remaining)
        transfer = Transfer(
            debit_id=issuance_id,
            credit_id=wallet_id,
            amount=grant,
            programme=prog,
            reason=action,
            source_key=source_key,
            basis=basis,
            rule_version=version,
            actor=actor,
            memo=memo[:200],
            created_at=now,
        )
        inserted = sql.insert_transfer_once(transfer) is not None
        if inserted:
            if usage is not None:
                CapUsage.objects.filter(pk=usage.pk).update(used=F("used") + grant)
            _spend_from_budget(prog, grant)
            sql.add_to_balances([(issuance_id, -grant), (wallet_id, grant)])
            if version.expiry_days:
                Lot.objects.create(
                    account_id=wallet_id,
                    transfer=transfer,
                    remaining=grant,
                    expires_at=now + dt.timedelta(days=version.expiry_days),
                )
    if not inserted:
        # A concurrent call recorded the same event first: answer as its replay.
        return _replay(Transfer.objects.get(source_key=source_key), basis)
    return Award(transfer=transfer, amount=grant, requested=requested, remaining_allowance=remaining)


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
    memo: str = "",
) -> Transfer:
    """Move points out of a resident's wallet at once (e.g. a donation); idempotent by key."""
    _check_amount(amount)
    with transaction.atomic():
        existing = Transfer.objects.filter(source_key=source_key).first()
        if existing is not None:
            return _same_amount(existing, amount)
        wallet_id = accounts.wallet_id_of(resident)
        # The transfer goes in first: a concurrent duplicate fails here, before any balance moves.
        try:
            with transaction.atomic():
                transfer = Transfer.objects.create(
                    debit_id=wallet_id,
                    credit_id=to_account.pk,
                    amount=amount,
                    programme=programme,
                    reason=reason,
                    source_key=source_key,
                    basis=amount,
                    actor=actor,
                    memo=memo[:200],
                )
        except IntegrityError:
            return _same_amount(Transfer.objects.get(source_key=source_key), amount)
        _withdraw_available(wallet_id, amount)
        LedgerAccount.objects.filter(pk=to_account.pk).update(balance=F("balance") + amount)
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
    _check_amount(amount)
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
    *, hold_id: int, to_account: LedgerAccount, actor: Resident | None = None, memo: str = ""
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
        return Transfer.objects.create(
            debit_id=held.account_id,
            credit_id=to_account.pk,
            amount=held.amount,
            programme=held.programme,
            reason=held.reason,
            source_key=f"hold:{held.pk}",
            basis=held.amount,
            hold=held,
            actor=actor,
            memo=memo[:200],
            created_at=now,
        )


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
    memo: str = "",
) -> Transfer:
    """Take back (part of) a transfer with a new, linked transfer in the opposite direction.

    Policy for points already spent: the reversal still happens and the wallet goes negative,
    shown to the resident as a debt that later earnings pay off. It is never silently skipped.
    """
    amount = transfer.amount if amount is None else amount
    _check_amount(amount)
    key = source_key or f"reverse:{transfer.pk}"
    with transaction.atomic():
        # Lock the original's accounts first so two partial reversals cannot both pass the check
        # and a concurrent replay of the same reversal sees the first one.
        list(
            LedgerAccount.objects.select_for_update()
            .filter(pk__in=[transfer.debit_id, transfer.credit_id])
            .order_by("pk")
        )
        existing = Transfer.objects.filter(source_key=key).first()
        if existing is not None:
            return _same_amount(existing, amount)
        already = Transfer.objects.filter(reverses=transfer).aggregate(total=Sum("amount"))["total"] or 0
        if already + amount > transfer.amount:
            raise AlreadyReversed(transfer_id=transfer.pk)
        reversal = Transfer.objects.create(
            debit_id=transfer.credit_id,
            credit_id=transfer.debit_id,
            amount=amount,
            programme_id=transfer.programme_id,
            reason=reason,
            source_key=key,
            basis=amount,
            reverses=transfer,
            actor=actor,
            memo=memo[:200],
        )
        move_balances(debit_id=transfer.credit_id, credit_id=transfer.debit_id, amount=amount)
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
                Transfer.objects.create(
                    debit_id=wallet.pk,
                    credit_id=expired_id,
                    amount=amount,
                    programme_id=None,
                    reason="expiry",
                    source_key=f"expiry:{lot.pk}",
                    basis=amount,
                    created_at=now,
                )
                move_balances(debit_id=wallet.pk, credit_id=expired_id, amount=amount)
                count += 1
    return count
