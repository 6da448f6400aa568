"""The earning side of the ledger: ``award`` grants points by the programme's current rule.

Its hot path (one award per vote, reading, rating) is written for speed: one read of
everything it needs (``sql.award_context``), no model built that is not returned, and no
savepoint unless a cap or budget can refuse after the insert. The writes are the ledger's
shared steps (``ledger.py``), the same ones ``award_many`` runs for a batch. Invariants: a
source key applies once, balances move with their transfer, in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from gorod.accounts.models import Resident
from gorod.core.messages import Message
from gorod.core.time import city_today
from gorod.points import accounts, ledger, rules, selectors, sql
from gorod.points.errors import SourceKeyConflict, UnknownEarningRule
from gorod.points.models import (
    AccountKind,
    LedgerAccount,
    Programme,
    ProgrammeIssuance,
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


def _replay(existing: Transfer, basis: int | None) -> Award:
    if existing.basis != basis:
        raise SourceKeyConflict(source_key=existing.source_key)
    return Award(transfer=existing, amount=existing.amount, requested=existing.amount, replayed=True)


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
    memo: str | Message = "",
) -> Award:
    """Grant points for an event by the programme's current earning rule; idempotent by key.

    The same ``source_key`` again returns the first result; with a different base amount or
    explicit amount it raises ``SourceKeyConflict``. Joins the caller's transaction.
    """
    if amount is not None:
        rules.check_amount(amount)
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
    if not rules.is_in_window(version, now):
        return Award(transfer=None, amount=0, requested=0)
    requested = rules.requested_amount(
        rules.terms_of(version), level=resident.level, base_amount=base_amount, amount=amount
    )
    if requested <= 0:
        return Award(transfer=None, amount=0, requested=requested)
    prog = version.rule.programme
    memo_text, memo_message = ledger.memo_parts(memo)
    issuance_id = context.issuance_id or accounts.issuance_of(prog, shard=shard).pk
    # Everything above reads or prepares; the transaction below only writes, so that on SQLite
    # the write lock is held for as short a time as it can be.
    new = sql.NewTransfers(
        programme_id=prog.pk,
        reason=action,
        rule_version_id=version.pk,
        actor_id=actor.pk if actor is not None else None,
        created_at=now,
        memo_message=memo_message,
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
        grant, remaining, cap_totals = requested, None, dict[int, int]()
        if version.cap_amount is not None:
            scope = rules.cap_scope(version.cap_period, city_day=city_today(), scope=cap_scope)
            (grant,), (remaining,), cap_totals = ledger.clamp_to_caps(
                version, [(wallet_id, scope)], [requested]
            )
        if grant <= 0:
            return Award(transfer=None, amount=0, requested=requested, remaining_allowance=remaining)
        columns: dict[str, list[Any]] = {
            "debit_id": [issuance_id],
            "credit_id": [wallet_id],
            "amount": [grant],
            "source_key": [source_key],
            "basis": [basis],
            "memo": [memo_text],
        }
        (transfer_id,) = new.insert(columns)
        if transfer_id is not None:
            ledger.settle_caps(cap_totals)
            ledger.spend_budget(prog, grant)
            ledger.move_balances([(issuance_id, -grant), (wallet_id, grant)])
            ledger.open_lots(version, now, [transfer_id], [wallet_id], [grant])
    if transfer_id is None:
        # A concurrent call recorded the same event first: answer as its replay (outside the
        # block: a conflict raised in there would doom the caller's transaction).
        return _replay(Transfer.objects.get(source_key=source_key), basis)
    return Award(
        transfer=new.instances([transfer_id], columns)[0],
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


@dataclass(frozen=True)
class PlainAward:
    """An award with nothing that can refuse it (no cap, budget or expiry), written by the
    database function ``points_award_one`` (``sql.award_one_call``) inside the caller's own
    statement: the same rows ``award`` writes, in one round trip with the caller's (PostgreSQL).
    The function checks the plan is still current and writes nothing otherwise; the caller then
    forgets it (``plain_award_forget``) and calls ``award``."""

    version_id: int
    amount: int
    issuance_key: str
    wallet_key: str
    resident_id: int
    reason: str


# Each process keeps the newest version of the rules it plans for, for at most a minute; the
# function re-checks it is still the newest (versions are only ever added, never edited).
PLAIN_VERSION_SECONDS = 60.0
_PLAIN_VERSIONS: dict[tuple[str, str], tuple[float, RuleVersion | None]] = {}


def plain_award(*, resident: Resident, programme: str, action: str, now: dt.datetime) -> PlainAward | None:
    """The plan of ``award(resident=..., programme=..., action=...)`` (no amount, no base) when
    it is a plain, positive award at ``now``; None when it must take ``award``'s full path (a
    cap, a budget, an expiry, outside the version's window, nothing to grant, unknown rule)."""
    key = (programme, action)
    clock = time.monotonic()
    cached = _PLAIN_VERSIONS.get(key)
    if cached is None or cached[0] <= clock:
        try:
            version: RuleVersion | None = selectors.current_version(programme, action)
        except UnknownEarningRule:
            version = None
        if len(_PLAIN_VERSIONS) > 64:
            _PLAIN_VERSIONS.clear()
        cached = _PLAIN_VERSIONS[key] = (clock + PLAIN_VERSION_SECONDS, version)
    version = cached[1]
    if version is None or version.cap_amount is not None or version.expiry_days is not None:
        return None
    if version.rule.programme.budget is not None or not rules.is_in_window(version, now):
        return None
    amount = rules.requested_amount(rules.terms_of(version), level=resident.level)
    if amount <= 0:
        return None
    return PlainAward(
        version_id=version.pk,
        amount=amount,
        issuance_key=accounts.issuance_key(programme, accounts.issuance_shard(resident.pk)),
        wallet_key=accounts.wallet_key(resident.pk),
        resident_id=resident.pk,
        reason=action,
    )


def plain_award_params(
    plan: PlainAward, *, source_key: str, now: dt.datetime, or_raise: bool
) -> dict[str, Any]:
    """The parameters of ``sql.AWARD_ONE_CALL`` for this plan."""
    return sql.award_one_params(
        version_id=plan.version_id,
        issuance_key=plan.issuance_key,
        wallet_key=plan.wallet_key,
        resident_id=plan.resident_id,
        amount=plan.amount,
        reason=plan.reason,
        source_key=source_key,
        now=now,
        or_raise=or_raise,
    )


def plain_award_forget(*, programme: str, action: str) -> None:
    """The function refused a plan: read the rule afresh next time."""
    _PLAIN_VERSIONS.pop((programme, action), None)


ISSUANCE_REFRESH_EVERY = dt.timedelta(minutes=15)


def programme_issuance_refresh(*, now: dt.datetime | None = None, force: bool = False) -> int:
    """Recompute each programme's issued and returned points for the public page, at most every
    15 minutes (the job runs every minute): one pass over the ledger instead of one per visitor.
    Returns the number of programmes written (0 when the figures are still fresh)."""

    now = now or timezone.now()
    newest = ProgrammeIssuance.objects.order_by("computed_at").values_list("computed_at", flat=True).first()
    if not force and newest is not None and now - newest < ISSUANCE_REFRESH_EVERY:
        return 0
    sums = selectors.issuance_by_programme()
    with transaction.atomic():
        programmes = list(Programme.objects.values_list("pk", flat=True))
        for programme_id in programmes:
            issued, returned = sums.get(programme_id, (0, 0))
            ProgrammeIssuance.objects.update_or_create(
                programme_id=programme_id,
                defaults={"issued": issued, "returned": returned, "computed_at": now},
            )
    return len(programmes)
