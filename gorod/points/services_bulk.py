"""The bulk earning path, for imports such as a month of meter readings.

``award_many`` applies one rule to many events in one transaction with a constant number of
statements per batch (bulk insert of transfers, one CASE update of the wallets), keeping the
same guarantees as ``award``: idempotent by source key (replays return the first transfer,
a different basis is a conflict), caps clamp, the budget is respected, balances match.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from gorod.accounts.models import Resident
from gorod.core.time import city_today
from gorod.points import accounts, rules, sql
from gorod.points.errors import BudgetExhausted, NonPositiveAmount, SourceKeyConflict
from gorod.points.models import AccountKind, CapUsage, LedgerAccount, Lot, Programme, Transfer
from gorod.points.services import Award, award, current_version, is_in_window, terms_of


@dataclass(frozen=True)
class AwardRequest:
    resident_id: int
    level: str
    source_key: str
    base_amount: int | None = None
    amount: int | None = None
    cap_scope: str | None = None
    memo: str = ""

    @property
    def basis(self) -> int | None:
        return self.base_amount if self.base_amount is not None else self.amount


def _wallet_ids(resident_ids: set[int]) -> dict[int, int]:
    found = dict(LedgerAccount.objects.filter(resident_id__any=resident_ids).values_list("resident_id", "id"))
    missing = resident_ids - found.keys()
    if missing:
        LedgerAccount.objects.bulk_create(
            [LedgerAccount(key=f"wallet:{rid}", kind=AccountKind.WALLET, resident_id=rid) for rid in missing],
            ignore_conflicts=True,
        )
        found.update(LedgerAccount.objects.filter(resident_id__any=missing).values_list("resident_id", "id"))
    return found


def award_many(
    *, programme: str, action: str, requests: Sequence[AwardRequest], actor: Resident | None = None
) -> list[Award]:
    """Award one rule for many events (aim: about 1,000 per call). Joins the caller's transaction."""
    for request in requests:
        if request.amount is not None and (not isinstance(request.amount, int) or request.amount <= 0):
            raise NonPositiveAmount(field="amount", source_key=request.source_key)
    with transaction.atomic():
        results: dict[str, Award] = {}
        keys = [r.source_key for r in requests]
        for key, pk, amount, basis in Transfer.objects.filter(source_key__any=keys).values_list(
            "source_key", "pk", "amount", "basis"
        ):
            results[str(key)] = Award(
                transfer=Transfer(pk=pk, amount=amount, basis=basis),
                amount=amount,
                requested=amount,
                replayed=True,
            )
        for request in requests:
            known = results.get(request.source_key)
            if known is not None and known.transfer is not None and known.transfer.basis != request.basis:
                raise SourceKeyConflict(source_key=request.source_key)

        version = current_version(programme, action)
        now = timezone.now()
        fresh: list[AwardRequest] = []
        seen: set[str] = set(results)
        for request in requests:
            if request.source_key not in seen:
                seen.add(request.source_key)
                fresh.append(request)
        if not is_in_window(version, now):
            for request in fresh:
                results[request.source_key] = Award(transfer=None, amount=0, requested=0)
            return [results[r.source_key] for r in requests]

        terms = terms_of(version)
        requested = {
            r.source_key: rules.requested_amount(
                terms, level=r.level, base_amount=r.base_amount, amount=r.amount
            )
            for r in fresh
        }
        wallets = _wallet_ids({r.resident_id for r in fresh if requested[r.source_key] > 0})
        grants = dict(requested)
        remaining: dict[str, int | None] = {}
        cap_updates: dict[int, int] = {}
        if version.cap_amount is not None:
            today = city_today()
            scope_of = {
                r.source_key: rules.cap_scope(version.cap_period, city_day=today, scope=r.cap_scope)
                for r in fresh
                if requested[r.source_key] > 0
            }
            wanted = {
                (wallets[r.resident_id], scope_of[r.source_key]) for r in fresh if r.source_key in scope_of
            }
            CapUsage.objects.bulk_create(
                [CapUsage(account_id=a, rule_id=version.rule_id, scope=s) for a, s in sorted(wanted)],
                ignore_conflicts=True,
            )
            usage = {
                (u.account_id, u.scope): u
                for u in CapUsage.objects.select_for_update()
                .filter(
                    rule_id=version.rule_id,
                    account_id__any={a for a, _ in wanted},
                    scope__any={s for _, s in wanted},
                )
                .order_by("pk")
            }
            used = {k: u.used for k, u in usage.items()}
            for r in fresh:
                if r.source_key not in scope_of:
                    continue
                slot = (wallets[r.resident_id], scope_of[r.source_key])
                grant = rules.clamp_to_cap(requested[r.source_key], used=used[slot], cap=version.cap_amount)
                used[slot] += grant
                grants[r.source_key] = grant
                remaining[r.source_key] = version.cap_amount - used[slot]
                cap_updates[usage[slot].pk] = used[slot]

        prog = version.rule.programme
        to_write = [r for r in fresh if grants[r.source_key] > 0]
        issuance = accounts.issuance_ids(prog, {accounts.issuance_shard(r.resident_id) for r in to_write})
        rows = [
            {
                "debit_id": issuance[accounts.issuance_shard(r.resident_id)],
                "credit_id": wallets[r.resident_id],
                "amount": grants[r.source_key],
                "source_key": r.source_key,
                "basis": r.basis,
                "memo": r.memo[:200],
            }
            for r in to_write
        ]
        common = {
            "programme_id": prog.pk,
            "reason": action,
            "rule_version_id": version.pk,
            "actor_id": actor.pk if actor else None,
            "created_at": now,
        }
        try:
            with transaction.atomic():
                ids = sql.insert_transfers(common, rows)
        except IntegrityError:
            # Someone recorded one of these events meanwhile: take the careful path, one by one.
            return [
                award(
                    resident=Resident(pk=r.resident_id, level=r.level),
                    programme=programme,
                    action=action,
                    source_key=r.source_key,
                    base_amount=r.base_amount,
                    amount=r.amount,
                    cap_scope=r.cap_scope,
                    actor=actor,
                    memo=r.memo,
                )
                for r in requests
            ]
        created = sql.transfers_from_rows(ids, common, rows)
        for pk, used_now in sorted(cap_updates.items()):
            CapUsage.objects.filter(pk=pk).update(used=used_now)
        total = sum(t.amount for t in created)
        within_budget = (
            prog.budget is None
            or not total
            or Programme.objects.filter(pk=prog.pk, budget__gte=F("budget_used") + total).update(
                budget_used=F("budget_used") + total
            )
        )
        if not within_budget:
            raise BudgetExhausted(programme=prog.code)
        deltas: dict[int, int] = defaultdict(int)
        for t in created:
            deltas[t.debit_id] -= t.amount
            deltas[t.credit_id] += t.amount
        sql.add_to_balances(deltas.items())
        if version.expiry_days:
            expires = now + dt.timedelta(days=version.expiry_days)
            Lot.objects.bulk_create(
                [
                    Lot(account_id=t.credit_id, transfer=t, remaining=t.amount, expires_at=expires)
                    for t in created
                ]
            )
        by_key = {t.source_key: t for t in created}
        for r in fresh:
            written = by_key.get(r.source_key)
            results[r.source_key] = Award(
                transfer=written,
                amount=written.amount if written else 0,
                requested=requested[r.source_key],
                remaining_allowance=remaining.get(r.source_key),
            )
        return [results[r.source_key] for r in requests]
