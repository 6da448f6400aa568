"""Finding and opening ledger accounts. Accounts are opened lazily, race-free, by unique key."""

from __future__ import annotations

import zlib

from django.conf import settings
from django.db import IntegrityError, transaction

from gorod.accounts.models import Resident
from gorod.points.models import AccountKind, LedgerAccount, Programme

EXPIRED_KEY = "expired"


def _open(key: str, *, kind: str, name: str = "", **links: object) -> LedgerAccount:
    account = LedgerAccount.objects.filter(key=key).first()
    if account is not None:
        return account
    try:
        with transaction.atomic():
            return LedgerAccount.objects.create(key=key, kind=kind, name=name, **links)
    except IntegrityError:
        return LedgerAccount.objects.get(key=key)


def wallet_id_of(resident: Resident) -> int:
    found = LedgerAccount.objects.filter(resident_id=resident.pk).values_list("id", flat=True).first()
    if found is not None:
        return found
    return wallet_of(resident).pk


def wallet_key(resident_id: int) -> str:
    return f"wallet:{resident_id}"


def issuance_key(programme_code: str, shard: int) -> str:
    return f"issuance:{programme_code}:{shard}"


def wallet_of(resident: Resident) -> LedgerAccount:
    return _open(wallet_key(resident.pk), kind=AccountKind.WALLET, resident=resident)


def issuance_shard(resident_id: int) -> int:
    # Spread a programme's issuance over several rows so concurrent awards do not queue on one
    # hot row; a resident always lands on the same shard.
    return zlib.crc32(str(resident_id).encode()) % max(1, settings.POINTS_ISSUANCE_SHARDS)


def issuance_of(programme: Programme, *, shard: int = 0) -> LedgerAccount:
    return _open(
        issuance_key(programme.code, shard),
        kind=AccountKind.ISSUANCE,
        programme=programme,
        name=f"{programme.name} #{shard}",
    )


def issuance_ids(programme: Programme, shards: set[int]) -> dict[int, int]:
    """Ids of the programme's issuance shards, opening any that do not exist yet; one query."""
    keys = {issuance_key(programme.code, shard): shard for shard in shards}
    found = {keys[key]: pk for key, pk in LedgerAccount.objects.filter(key__in=keys).values_list("key", "id")}
    for shard in shards - found.keys():
        found[shard] = issuance_of(programme, shard=shard).pk
    return found


def partner_account(partner_id: int, name: str = "") -> LedgerAccount:
    return _open(f"partner:{partner_id}", kind=AccountKind.PARTNER, name=name)


def charity_account(fund_id: int, name: str = "") -> LedgerAccount:
    return _open(f"charity:{fund_id}", kind=AccountKind.CHARITY, name=name)


def expired_account() -> LedgerAccount:
    return _open(EXPIRED_KEY, kind=AccountKind.EXPIRED, name="Expired points")
