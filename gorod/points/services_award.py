"""The earning side of the ledger: ``award`` grants points by the programme's current rule.

Its hot path (one award per vote, reading, rating) is written for speed: one read of
everything it needs, hand-written SQL (``sql.py``), no model built that is not returned, and no
savepoint unless a cap or budget can refuse after the insert. Same invariants as
``services.py``: a source key applies once, balances move with their transfer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from gorod.accounts.models import Resident
from gorod.core.time import city_today
from gorod.points import accounts, rules, sql
from gorod.points.errors import (
    BudgetExhausted,
    NonPositiveAmount,
    SourceKeyConflict,
    UnknownEarningRule,
)
from gorod.points.models import AccountKind, CapUsage, LedgerAccount, Lot, Programme, RuleVersion, Transfer


@dataclass(frozen=True)
class Award:
    """What an earning produced. ``amount`` may be 0 (simplified account, cap reached, rule off)."""

    transfer: Transfer | None
    amount: int
    requested: int
    replayed: bool = False
    remaining_allowance: int | None = None


def check_amount(amount: int) -> None:
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
        check_amount(amount)
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
    issuance_id = context.issuance_id or accounts.issuance_of(prog, shard=shard).pk
    # Everything above reads or prepares; the transaction below only writes, so that on SQLite
    # the write lock is held for as short a time as it can be.
    transfer = sql.PreparedTransfer(
        {
            "debit_id": issuance_id,
            "credit_id": context.wallet_id,
            "amount": requested,
            "programme_id": prog.pk,
            "reason": action,
            "source_key": source_key,
            "basis": basis,
            "rule_version_id": version.pk,
            "actor_id": actor.pk if actor is not None else None,
            "memo": memo[:200],
            "created_at": now,
        }
    )
    # Without a cap or budget nothing can refuse after the insert, so no savepoint is needed
    # (two round trips fewer); a cap or budget may refuse late and must undo the insert.
    guarded = version.cap_amount is not None or prog.budget is not None
    with transaction.atomic(savepoint=guarded):
        wallet_id = context.wallet_id
        if wallet_id is None:
            # A first award opens the wallet here, in the award's transaction: opened in a
            # commit of its own it cost a second durable commit (on SQLite a second turn at
            # the write lock). Only once per resident, so building the row in here is cheap.
            wallet_id = _open_wallet(resident)
            transfer.set("credit_id", wallet_id)
        transfer_id, grant, remaining = _grant(
            version,
            prog,
            transfer,
            issuance_id=issuance_id,
            wallet_id=wallet_id,
            now=now,
            requested=requested,
            cap_scope=cap_scope,
        )
    if grant <= 0:
        return Award(transfer=None, amount=0, requested=requested, remaining_allowance=remaining)
    if transfer_id is None:
        # A concurrent call recorded the same event first: answer as its replay.
        return _replay(Transfer.objects.get(source_key=source_key), basis)
    return Award(
        transfer=transfer.instance(transfer_id),
        amount=grant,
        requested=requested,
        remaining_allowance=remaining,
    )


def _open_wallet(resident: Resident) -> int:
    """One INSERT ... ON CONFLICT, no look-up, no savepoint; a look-up only if a concurrent
    first award opened it."""
    wallet = LedgerAccount(
        key=accounts.wallet_key(resident.pk), kind=AccountKind.WALLET, resident_id=resident.pk
    )
    return sql.open_account_once(wallet) or accounts.wallet_of(resident).pk


def _grant(
    version: RuleVersion,
    prog: Programme,
    transfer: sql.PreparedTransfer,
    *,
    issuance_id: int,
    wallet_id: int,
    now: dt.datetime,
    requested: int,
    cap_scope: str | None,
) -> tuple[int | None, int, int | None]:
    """Record the transfer for the grant (the request clamped to the cap) and move the
    balances. (transfer id, grant, allowance left under the cap); no id when nothing was
    granted or a concurrent call took the source key first."""
    grant, remaining, usage = requested, None, None
    if version.cap_amount is not None:
        scope = rules.cap_scope(version.cap_period, city_day=city_today(), scope=cap_scope)
        usage = _locked_cap_usage(wallet_id, version.rule_id, scope)
        grant = rules.clamp_to_cap(requested, used=usage.used, cap=version.cap_amount)
        remaining = version.cap_amount - usage.used - grant
    if grant <= 0:
        return None, grant, remaining
    transfer_id = transfer.insert(grant)
    if transfer_id is None:
        return None, grant, remaining
    if usage is not None:
        CapUsage.objects.filter(pk=usage.pk).update(used=F("used") + grant)
    _spend_from_budget(prog, grant)
    sql.add_to_balances([(issuance_id, -grant), (wallet_id, grant)])
    if version.expiry_days:
        Lot.objects.create(
            account_id=wallet_id,
            transfer_id=transfer_id,
            remaining=grant,
            expires_at=now + dt.timedelta(days=version.expiry_days),
        )
    return transfer_id, grant, remaining
