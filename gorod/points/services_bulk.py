"""The bulk earning path, for imports such as a month of meter readings.

``award_many`` applies one rule to many events in one transaction with a constant number of
statements per batch (bulk insert of transfers, one CASE update of the wallets), keeping the
same guarantees as ``award``: idempotent by source key (replays return the first transfer,
a different basis is a conflict), caps clamp, the budget is respected, balances match.
``award_many_granted`` is the same batch for callers that only need what each event earned
(an import's report): it builds no model instance per event, which at 2,000 events a batch
cost more than the database's work.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.db import IntegrityError, transaction
from django.utils import timezone

from gorod.accounts.models import Resident
from gorod.core.time import city_today
from gorod.points import accounts, ledger, rules, selectors, sql
from gorod.points.errors import NonPositiveAmount, SourceKeyConflict
from gorod.points.models import LedgerAccount, Transfer
from gorod.points.services import Award, award


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


class Granted(NamedTuple):
    """What one event earned: ``replayed`` when its source key had been awarded before."""

    amount: int
    replayed: bool


class _Outcome(NamedTuple):
    transfer_id: int | None
    amount: int
    requested: int
    replayed: bool = False
    remaining: int | None = None


@dataclass
class _Batch:
    """A batch's result by source key, and what is needed to build its transfers on demand."""

    outcomes: dict[str, _Outcome] = field(default_factory=dict)
    replays: dict[str, tuple[int, int, int | None]] = field(default_factory=dict)
    new: sql.NewTransfers | None = None
    columns: dict[str, list[Any]] = field(default_factory=dict)
    ids: list[int] = field(default_factory=list)
    fallback: list[Award] | None = None


def _existing_wallets(resident_ids: Collection[int]) -> dict[int, int]:
    return dict(
        LedgerAccount.objects.filter(resident_id__any=set(resident_ids)).values_list("resident_id", "id")
    )


def _open_wallets(
    resident_ids: Sequence[int], balances: Mapping[int, int]
) -> tuple[dict[int, int], set[int]]:
    """Wallet ids of residents who had none, and the ids of those opened here already holding
    ``balances`` (the batch's credit to them). A wallet a concurrent award opened meanwhile is
    looked up instead (its insert did nothing here) and is credited by the balance update."""
    opened = sql.open_wallets(resident_ids, balances)
    found = dict(opened)
    late = [rid for rid in resident_ids if rid not in found]
    if late:
        found.update(_existing_wallets(late))
    return found, set(opened.values())


def award_many(
    *, programme: str, action: str, requests: Sequence[AwardRequest], actor: Resident | None = None
) -> list[Award]:
    """Award one rule for many events (aim: about 1,000 per call). Joins the caller's transaction."""
    batch = _award_batch(programme, action, requests, actor)
    if batch.fallback is not None:
        return batch.fallback
    created: dict[int, Transfer] = {}
    if batch.new is not None:
        created = dict(zip(batch.ids, batch.new.instances(batch.ids, batch.columns), strict=True))
    # Replays are the rare re-import: their first transfers are read whole, in one query, so that
    # a caller gets the same complete Transfer as from a first award.
    replayed = (
        Transfer.objects.in_bulk([pk for pk, _a, _b in batch.replays.values()]) if batch.replays else {}
    )
    results: list[Award] = []
    for r in requests:
        outcome = batch.outcomes[r.source_key]
        if outcome.replayed:
            transfer: Transfer | None = replayed[batch.replays[r.source_key][0]]
        else:
            transfer = created.get(outcome.transfer_id) if outcome.transfer_id is not None else None
        results.append(
            Award(
                transfer=transfer,
                amount=outcome.amount,
                requested=outcome.requested,
                replayed=outcome.replayed,
                remaining_allowance=outcome.remaining,
            )
        )
    return results


def award_many_granted(
    *, programme: str, action: str, requests: Sequence[AwardRequest], actor: Resident | None = None
) -> list[Granted]:
    """``award_many`` answering only the amount each event earned and whether it was a replay."""
    batch = _award_batch(programme, action, requests, actor)
    if batch.fallback is not None:
        return [Granted(a.amount, a.replayed) for a in batch.fallback]
    outcomes = batch.outcomes
    return [Granted(outcomes[r.source_key].amount, outcomes[r.source_key].replayed) for r in requests]


def _award_batch(
    programme: str, action: str, requests: Sequence[AwardRequest], actor: Resident | None
) -> _Batch:
    for request in requests:
        if request.amount is not None and (not isinstance(request.amount, int) or request.amount <= 0):
            raise NonPositiveAmount(field="amount", source_key=request.source_key)
    with transaction.atomic():
        batch = _Batch()
        outcomes = batch.outcomes
        replays = batch.replays
        for found_key, pk, amount, basis in Transfer.objects.filter(
            source_key__any={r.source_key for r in requests}
        ).values_list("source_key", "pk", "amount", "basis"):
            outcomes[str(found_key)] = _Outcome(pk, amount, amount, replayed=True)
            replays[str(found_key)] = (pk, amount, basis)
        fresh: list[AwardRequest] = []
        seen: set[str] = set()
        for request in requests:
            key = request.source_key
            if key in replays:
                if replays[key][2] != request.basis:
                    raise SourceKeyConflict(source_key=key)
            elif key not in seen:
                # A key asked twice in one batch is one event, as the first asked it.
                seen.add(key)
                fresh.append(request)

        version = selectors.current_version(programme, action)
        now = timezone.now()
        if not rules.is_in_window(version, now):
            for request in fresh:
                outcomes[request.source_key] = _Outcome(None, 0, 0)
            return batch

        terms = rules.terms_of(version)
        requested = {
            r.source_key: rules.requested_amount(
                terms, level=r.level, base_amount=r.base_amount, amount=r.amount
            )
            for r in fresh
        }
        earners = list({r.resident_id: None for r in fresh if requested[r.source_key] > 0})
        wallets = _existing_wallets(earners)
        unopened = [rid for rid in earners if rid not in wallets]
        if version.cap_amount is not None and unopened:
            # Cap usage is kept per wallet: open the missing ones (empty) before clamping.
            wallets.update(_open_wallets(unopened, {})[0])
            unopened = []
        grants = dict(requested)
        remaining: dict[str, int | None] = {}
        cap_totals: dict[int, int] = {}
        if version.cap_amount is not None:
            today = city_today()
            capped = [r for r in fresh if requested[r.source_key] > 0]
            slots = [
                (
                    wallets[r.resident_id],
                    rules.cap_scope(version.cap_period, city_day=today, scope=r.cap_scope),
                )
                for r in capped
            ]
            clamped, left, cap_totals = ledger.clamp_to_caps(
                version, slots, [requested[r.source_key] for r in capped]
            )
            for r, grant, allowance in zip(capped, clamped, left, strict=True):
                grants[r.source_key] = grant
                remaining[r.source_key] = allowance

        prog = version.rule.programme
        to_write = [r for r in fresh if grants[r.source_key] > 0]
        shard_of = {rid: accounts.issuance_shard(rid) for rid in {r.resident_id: None for r in to_write}}
        issuance = accounts.issuance_ids(prog, set(shard_of.values()))
        credited: dict[int, int] = defaultdict(int)
        for r in to_write:
            credited[r.resident_id] += grants[r.source_key]
        new = sql.NewTransfers(
            programme_id=prog.pk,
            reason=action,
            rule_version_id=version.pk,
            actor_id=actor.pk if actor else None,
            created_at=now,
        )
        born: set[int] = set()
        try:
            with transaction.atomic():
                if unopened:
                    # A first award opens the wallet already holding what this batch credits to
                    # it: no UPDATE of a row just inserted (a dead row and four index entries).
                    # Same savepoint as the transfers: a conflict below undoes both.
                    opened, born = _open_wallets([rid for rid in unopened if credited[rid]], credited)
                    wallets.update(opened)
                columns: dict[str, list[Any]] = {
                    "debit_id": [issuance[shard_of[r.resident_id]] for r in to_write],
                    "credit_id": [wallets[r.resident_id] for r in to_write],
                    "amount": [grants[r.source_key] for r in to_write],
                    "source_key": [r.source_key for r in to_write],
                    "basis": [r.basis for r in to_write],
                    "memo": [r.memo[:200] for r in to_write],
                }
                inserted = new.insert(columns) if to_write else []
                if None in inserted:
                    # A one-event batch skips a taken key instead of raising: same fallback.
                    raise IntegrityError("source key taken")
                ids = [pk for pk in inserted if pk is not None]
        except IntegrityError:
            # Someone recorded one of these events meanwhile: take the careful path, one by one.
            batch.fallback = [
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
            return batch
        ledger.settle_caps(cap_totals)
        ledger.spend_budget(prog, sum(columns["amount"]))
        deltas: dict[int, int] = defaultdict(int)
        for debit_id, credit_id, amount in zip(
            columns["debit_id"], columns["credit_id"], columns["amount"], strict=True
        ):
            deltas[debit_id] -= amount
            if credit_id not in born:
                deltas[credit_id] += amount
        ledger.move_balances(deltas.items())
        ledger.open_lots(version, now, ids, columns["credit_id"], columns["amount"])
        id_of = dict(zip(columns["source_key"], ids, strict=True))
        for r in fresh:
            key = r.source_key
            written = id_of.get(key)
            outcomes[key] = _Outcome(
                written, grants[key] if written else 0, requested[key], False, remaining.get(key)
            )
        batch.new, batch.columns, batch.ids = new, columns, ids
        return batch
