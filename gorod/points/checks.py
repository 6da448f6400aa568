"""Ledger audits: balances equal their transfers, the ledger sums to zero, daily Merkle roots."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Sum

from gorod.core import merkle
from gorod.core.time import city_midnight
from gorod.points.models import DailyCheckpoint, Hold, HoldStatus, LedgerAccount, Transfer


@dataclass(frozen=True)
class Mismatch:
    account_key: str
    materialised: int
    from_transfers: int
    what: str = "balance"


def ledger_mismatches() -> tuple[list[Mismatch], int]:
    """Accounts whose balance or held amount differ from the transfers and holds; and the sum of
    all balances (must be zero: every point issued is owed by an issuance account)."""
    credits = dict(
        Transfer.objects.values_list("credit_id").annotate(s=Sum("amount")).values_list("credit_id", "s")
    )
    debits = dict(
        Transfer.objects.values_list("debit_id").annotate(s=Sum("amount")).values_list("debit_id", "s")
    )
    held = dict(
        Hold.objects.filter(status=HoldStatus.ACTIVE)
        .values_list("account_id")
        .annotate(s=Sum("amount"))
        .values_list("account_id", "s")
    )
    mismatches: list[Mismatch] = []
    total = 0
    for account_id, key, balance, held_now in LedgerAccount.objects.values_list(
        "id", "key", "balance", "held"
    ):
        expected = (credits.get(account_id) or 0) - (debits.get(account_id) or 0)
        total += balance
        if balance != expected:
            mismatches.append(Mismatch(key, balance, expected))
        if held_now != (held.get(account_id) or 0):
            mismatches.append(Mismatch(key, held_now, held.get(account_id) or 0, what="held"))
    return mismatches, total


def _leaf(t: tuple[int, int, int, int, str | None, dt.datetime]) -> bytes:
    pk, debit, credit, amount, key, created = t
    return f"{pk}|{debit}|{credit}|{amount}|{key or ''}|{created.isoformat()}".encode()


def day_root(day: dt.date) -> tuple[bytes, int, int, int | None, int | None]:
    start, end = city_midnight(day), city_midnight(day + dt.timedelta(days=1))
    rows = list(
        Transfer.objects.filter(created_at__gte=start, created_at__lt=end)
        .order_by("id")
        .values_list("id", "debit_id", "credit_id", "amount", "source_key", "created_at")
    )
    root = merkle.merkle_root([_leaf(r) for r in rows])
    total = sum(r[3] for r in rows)
    return root, len(rows), total, (rows[0][0] if rows else None), (rows[-1][0] if rows else None)


@transaction.atomic
def checkpoint_day(day: dt.date) -> DailyCheckpoint:
    root, count, total, first_id, last_id = day_root(day)
    checkpoint, _ = DailyCheckpoint.objects.update_or_create(
        day=day,
        create_defaults={
            "root": root.hex(),
            "transfer_count": count,
            "total_amount": total,
            "first_id": first_id,
            "last_id": last_id,
        },
        defaults={},
    )
    return checkpoint


def checkpoint_matches(checkpoint: DailyCheckpoint) -> bool:
    root, count, total, _, _ = day_root(checkpoint.day)
    return (
        root.hex() == checkpoint.root
        and count == checkpoint.transfer_count
        and total == checkpoint.total_amount
    )
