"""The ledger's write steps: the one path by which transfers, balances, caps, budgets and lots
are written. Every service that moves points (``award``, ``award_many``, spends, holds,
reversals, expiry) is a sequence of these steps inside its transaction.

Lock order (docs/points-ledger.md), the same for every writer so that none waits on another in
a cycle: cap usage rows (ascending id) before ledger accounts; ledger accounts in ascending id
order, whether locked up front (:func:`lock_in_id_order`) or by the balance update itself
(:func:`move_balances`); lots after accounts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

from django.db.models import F

from gorod.core.messages import Message
from gorod.points import rules, sql
from gorod.points.errors import BudgetExhausted
from gorod.points.models import CapUsage, LedgerAccount, Lot, Programme, RuleVersion, Transfer


def lock_in_id_order(*account_ids: int) -> dict[int, LedgerAccount]:
    """Lock ledger accounts in ascending id order (one SELECT ... ORDER BY id FOR UPDATE)."""
    locked = LedgerAccount.objects.select_for_update().filter(pk__in=account_ids).order_by("pk")
    return {account.pk: account for account in locked.only("pk", "balance", "held")}


def move_balances(deltas: Iterable[tuple[int, int]]) -> None:
    """Add each ``(account id, delta)`` to the materialised balances, rows in ascending id order.
    Only ever together with the transfers that explain the deltas, in the same transaction."""
    sql.add_to_balances(deltas)


def memo_parts(memo: str | Message) -> tuple[str, dict[str, Any] | None]:
    """The memo column (plain text; a message in English) and the stored message, if any."""
    if isinstance(memo, Message):
        return memo.in_english()[:200], memo.stored()
    return memo[:200], None


def one_transfer(
    *, debit_id: int, credit_id: int, amount: int, source_key: str, memo: str | Message = "", **common: Any
) -> tuple[sql.NewTransfers, dict[str, list[Any]]]:
    """A single transfer's shared values and columns, ready for ``NewTransfers.insert``."""
    memo, common["memo_message"] = memo_parts(memo)
    columns: dict[str, list[Any]] = {
        "debit_id": [debit_id],
        "credit_id": [credit_id],
        "amount": [amount],
        "source_key": [source_key],
        "basis": [common.pop("basis", amount)],
        "memo": [memo[:200]],
    }
    return sql.NewTransfers(**common), columns


def write_transfer(
    *, debit_id: int, credit_id: int, amount: int, source_key: str, memo: str | Message = "", **common: Any
) -> Transfer | None:
    """Insert one transfer and move both balances with it; None, and nothing moved, when its
    source key is taken (a concurrent duplicate: the caller answers with the first one)."""
    new, columns = one_transfer(
        debit_id=debit_id, credit_id=credit_id, amount=amount, source_key=source_key, memo=memo, **common
    )
    (pk,) = new.insert(columns)
    if pk is None:
        return None
    move_balances([(debit_id, -amount), (credit_id, amount)])
    return new.instances([pk], columns)[0]


def clamp_to_caps(
    version: RuleVersion, slots: Sequence[tuple[int, str]], requested: Sequence[int]
) -> tuple[list[int], list[int], dict[int, int]]:
    """Clamp each request to what is left under the version's cap in its ``(wallet id, cap
    scope)`` slot, in order (a slot asked twice fills up). Locks the slots' usage rows (opening
    missing ones) until the transaction ends. Returns the grants, the allowance left after each,
    and the usage rows' new totals, written by :func:`settle_caps` once the transfers are in."""
    cap = version.cap_amount
    assert cap is not None, "only a capped version is clamped"
    usage = _locked_cap_usage(version.rule_id, set(slots))
    used = {slot: row_used for slot, (_pk, row_used) in usage.items()}
    grants, remaining = [], []
    for slot, asked in zip(slots, requested, strict=True):
        grant = rules.clamp_to_cap(asked, used=used[slot], cap=cap)
        used[slot] += grant
        grants.append(grant)
        remaining.append(cap - used[slot])
    totals = {pk: used[slot] for slot, (pk, before) in usage.items() if used[slot] != before}
    return grants, remaining, totals


def _locked_cap_usage(
    rule_id: int, slots: Collection[tuple[int, str]]
) -> dict[tuple[int, str], tuple[int, int]]:
    """``{(wallet id, scope): (usage row id, used)}`` for these slots, rows locked in id order.
    A slot's first grant opens its row; a concurrent first grant that opened it meanwhile is
    not an error (the insert skips it) and the row is locked as found."""

    def locked(wanted: Collection[tuple[int, str]]) -> dict[tuple[int, str], tuple[int, int]]:
        found = (
            CapUsage.objects.select_for_update()
            .filter(
                rule_id=rule_id,
                account_id__any={a for a, _ in wanted},
                scope__any={s for _, s in wanted},
            )
            .order_by("pk")
            .values_list("account_id", "scope", "pk", "used")
        )
        return {(a, s): (pk, used) for a, s, pk, used in found if (a, s) in wanted}

    usage = locked(slots)
    missing = [slot for slot in slots if slot not in usage]
    if missing:
        CapUsage.objects.bulk_create(
            [CapUsage(account_id=a, rule_id=rule_id, scope=s) for a, s in sorted(missing)],
            ignore_conflicts=True,
        )
        usage |= locked(missing)
    return usage


def settle_caps(totals: Mapping[int, int]) -> None:
    """Write the cap usage totals :func:`clamp_to_caps` computed (rows still locked)."""
    for pk, used in sorted(totals.items()):
        CapUsage.objects.filter(pk=pk).update(used=used)


def spend_budget(programme: Programme, amount: int) -> None:
    """Take ``amount`` from the programme's budget, if it has one; refused when it would overrun."""
    if programme.budget is None or not amount:
        return
    updated = Programme.objects.filter(pk=programme.pk, budget__gte=F("budget_used") + amount).update(
        budget_used=F("budget_used") + amount
    )
    if not updated:
        raise BudgetExhausted(programme=programme.code)


def open_lots(
    version: RuleVersion,
    now: dt.datetime,
    transfer_ids: Sequence[int],
    wallet_ids: Sequence[int],
    amounts: Sequence[int],
) -> None:
    """Points of an expiring rule: one lot per granted transfer, spent soonest-expiring first."""
    if not version.expiry_days or not transfer_ids:
        return
    expires = now + dt.timedelta(days=version.expiry_days)
    Lot.objects.bulk_create(
        [
            Lot(account_id=wallet_id, transfer_id=pk, remaining=amount, expires_at=expires)
            for pk, wallet_id, amount in zip(transfer_ids, wallet_ids, amounts, strict=True)
        ]
    )
