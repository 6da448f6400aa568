"""Each statement of points/sql.py answers what its ORM version answers (ADR 0005); the suite
runs these on SQLite and on PostgreSQL (DATABASE_URL)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import models
from django.db.models import Q
from django.utils import timezone

from gorod.accounts.tests.factories import ResidentFactory
from gorod.points import accounts, selectors, services, sql
from gorod.points.models import AccountKind, LedgerAccount, Programme, Transfer

pytestmark = pytest.mark.django_db


def values(obj: models.Model | None) -> dict[str, Any] | None:
    if obj is None:
        return None
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_award_context_is_the_orm_reads_in_one():
    resident = ResidentFactory(level="standard")
    first = services.award(resident=resident, programme="active_citizen", action="vote", source_key="a")
    shard = accounts.issuance_shard(resident.pk)
    issuance_key = accounts.issuance_key("active_citizen", shard)
    context = sql.award_context(
        programme="active_citizen",
        action="vote",
        source_key="a",
        wallet_key=accounts.wallet_key(resident.pk),
        issuance_key=issuance_key,
    )
    version = selectors.current_version("active_citizen", "vote")
    assert context.version is not None
    assert values(context.version) == values(version)
    assert values(context.version.rule) == values(version.rule)
    assert values(context.version.rule.programme) == values(version.rule.programme)
    assert first.transfer is not None and context.existing_transfer_id == first.transfer.pk
    assert context.wallet_id == LedgerAccount.objects.get(key=accounts.wallet_key(resident.pk)).pk
    assert context.issuance_id == LedgerAccount.objects.get(key=issuance_key).pk
    unknown = sql.award_context(
        programme="active_citizen", action="nope", source_key="a", wallet_key="-", issuance_key="-"
    )
    assert unknown.version is None and unknown.existing_transfer_id == first.transfer.pk


@pytest.mark.parametrize("rows", [1, 3])
def test_new_transfers_insert_what_the_orm_reads_back(rows):
    people = [ResidentFactory() for _ in range(rows)]
    wallets = [accounts.wallet_of(p).pk for p in people]
    programme = Programme.objects.get(code="active_citizen")
    issuance = accounts.issuance_of(programme).pk
    new = sql.NewTransfers(programme_id=programme.pk, reason="vote", created_at=timezone.now())
    columns: dict[str, list[Any]] = {
        "debit_id": [issuance] * rows,
        "credit_id": wallets,
        "amount": [5 + n for n in range(rows)],
        "source_key": [f"k:{n}" for n in range(rows)],
        "basis": [None] * rows,
        "memo": ["m"] * rows,
    }
    ids = new.insert(columns)
    assert None not in ids
    built = new.instances([pk for pk in ids if pk is not None], columns)
    read = Transfer.objects.in_bulk(ids)
    assert [values(t) for t in built] == [values(read[pk]) for pk in ids]
    if rows == 1:  # a taken key: skipped, not an error
        assert new.insert(columns) == [None]


def test_balances_move_as_an_orm_update_would():
    people = [ResidentFactory() for _ in range(12)]  # past the pipelined size: the set-based path
    ids = [accounts.wallet_of(p).pk for p in people]
    deltas = [(pk, n - 3) for n, pk in enumerate(ids)]
    for few in (deltas[:2], deltas):
        expected = {pk: b for pk, b in LedgerAccount.objects.filter(pk__in=ids).values_list("pk", "balance")}
        for pk, delta in few:
            expected[pk] += delta
        sql.add_to_balances(few)
        assert dict(LedgerAccount.objects.filter(pk__in=ids).values_list("pk", "balance")) == expected


def test_open_wallets_and_open_account_once_open_what_the_orm_would():
    people = [ResidentFactory() for _ in range(3)]
    opened = sql.open_wallets([p.pk for p in people], {people[0].pk: 7})
    assert opened == dict(LedgerAccount.objects.filter(resident__in=people).values_list("resident_id", "pk"))
    row = LedgerAccount.objects.get(resident=people[0])
    assert (row.key, row.kind, row.balance) == (accounts.wallet_key(people[0].pk), AccountKind.WALLET, 7)
    assert sql.open_wallets([p.pk for p in people], {}) == {}  # all taken: skipped
    again = LedgerAccount(key=row.key, kind=AccountKind.WALLET, resident_id=people[0].pk)
    assert sql.open_account_once(again) is None
    fresh = ResidentFactory()
    pk = sql.open_account_once(
        LedgerAccount(key=accounts.wallet_key(fresh.pk), kind=AccountKind.WALLET, resident_id=fresh.pk)
    )
    assert pk == LedgerAccount.objects.get(resident=fresh).pk


def test_newest_transfer_ids_are_the_orm_query():
    resident = ResidentFactory(level="standard")
    for n in range(7):
        services.award(resident=resident, programme="active_citizen", action="vote", source_key=f"v:{n}")
    wallet = accounts.wallet_id_of(resident)
    orm = Transfer.objects.filter(Q(debit_id=wallet) | Q(credit_id=wallet)).order_by("-pk")
    ids = list(orm.values_list("pk", flat=True))
    assert sql.newest_transfer_ids(wallet, before=None, limit=4) == ids[:4]
    assert sql.newest_transfer_ids(wallet, before=ids[3], limit=10) == ids[4:]
