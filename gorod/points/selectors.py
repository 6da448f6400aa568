"""Reads of the points ledger: balances, statements, rules, public totals."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from gorod.accounts.models import Resident
from gorod.core.messages import render
from gorod.core.time import city_zone
from gorod.points import sql
from gorod.points.errors import UnknownEarningRule
from gorod.points.labels import translated
from gorod.points.models import (
    AccountKind,
    EarningRule,
    LedgerAccount,
    Programme,
    ProgrammeIssuance,
    RuleVersion,
    Transfer,
)

# Labels of reasons that are not earning-rule actions (those are labelled by the rule's name).
REASON_LABELS: dict[str, Promise] = {
    "order": _("Order in the rewards shop"),
    "donation": _("Charity donation"),
    "expiry": _("Points expired"),
    "reversal": _("Reversal"),
    "refund": _("Refund"),
}


def current_version(programme: str, action: str) -> RuleVersion:
    """The newest version of the programme's earning rule for ``action`` (with rule and programme)."""
    version = (
        RuleVersion.objects.select_related("rule__programme")
        .filter(rule__programme__code=programme, rule__action=action)
        .order_by("-number")
        .first()
    )
    if version is None:
        raise UnknownEarningRule(programme=programme, action=action)
    return version


@dataclass(frozen=True)
class Balance:
    balance: int
    held: int

    @property
    def available(self) -> int:
        return self.balance - self.held

    @property
    def is_debt(self) -> bool:
        return self.balance < 0


@dataclass(frozen=True)
class StatementLine:
    id: int
    created_at: dt.datetime
    amount: int  # signed: positive arrived, negative left
    service: str
    reason: str
    memo: str
    reverses_id: int | None


@dataclass(frozen=True)
class StatementPage:
    lines: list[StatementLine]
    next_cursor: int | None


def balance(resident: Resident) -> Balance:
    row = LedgerAccount.objects.filter(resident_id=resident.pk).values("balance", "held").first()
    return Balance(balance=row["balance"], held=row["held"]) if row else Balance(0, 0)


def statement(resident: Resident, *, cursor: int | None = None, limit: int = 25) -> StatementPage:
    """A resident's movements, newest first, by keyset (``cursor`` = the last id seen)."""
    wallet_id = LedgerAccount.objects.filter(resident_id=resident.pk).values_list("id", flat=True).first()
    if wallet_id is None:
        return StatementPage(lines=[], next_cursor=None)
    newest = sql.newest_transfer_ids(wallet_id, before=cursor, limit=limit + 1)
    page = list(
        Transfer.objects.filter(id__in=newest)
        .select_related("programme", "rule_version__rule")
        .order_by("-id")
    )
    lines = [
        StatementLine(
            id=t.pk,
            created_at=t.created_at,
            amount=t.amount if t.credit_id == wallet_id else -t.amount,
            service=translated(t.programme.name) if t.programme else "",
            reason=_reason_label(t),
            memo=render(t.memo_message, t.memo),
            reverses_id=t.reverses_id,
        )
        for t in page[:limit]
    ]
    return StatementPage(lines=lines, next_cursor=page[limit - 1].pk if len(page) > limit else None)


def _reason_label(transfer: Transfer) -> str:
    if transfer.reverses_id is not None:
        return str(_("Reversal: %(reason)s") % {"reason": transfer.reason})
    if transfer.rule_version is not None:
        return translated(transfer.rule_version.rule.name)
    label = REASON_LABELS.get(transfer.reason)
    return str(label) if label is not None else transfer.reason


@dataclass(frozen=True)
class PublishedRule:
    programme: Programme
    rule: EarningRule
    version: RuleVersion


def active_rules(now: dt.datetime | None = None) -> list[PublishedRule]:
    """The newest version of every rule that is in force now, for the public page and the API."""
    from django.utils import timezone

    now = now or timezone.now()
    versions = RuleVersion.objects.select_related("rule__programme").order_by(
        "rule__programme__ordering_weight", "rule__programme__name", "rule__name", "rule_id", "-number"
    )
    newest: dict[int, RuleVersion] = {}
    for version in versions:
        newest.setdefault(version.rule_id, version)
    return [
        PublishedRule(programme=v.rule.programme, rule=v.rule, version=v)
        for v in newest.values()
        if (v.valid_from is None or v.valid_from <= now) and (v.valid_until is None or now < v.valid_until)
    ]


def earning_rule_choices() -> list[tuple[str, str, str]]:
    """Every earning rule as (programme code, action, "programme — rule" in the reader's
    language), for consoles where an operator chooses what an action earns (a poll's points)."""
    found = EarningRule.objects.select_related("programme").order_by(
        "programme__ordering_weight", "programme__name", "name"
    )
    return [(r.programme.code, r.action, f"{r.programme.name} — {r.name}") for r in found]


@dataclass(frozen=True)
class ProgrammeTotals:
    programme: Programme
    issued: int
    returned: int
    computed_at: dt.datetime | None


def programme_totals() -> list[ProgrammeTotals]:
    """Points issued per programme (and returned by reversals), as the periodic job last
    computed them (``services.programme_issuance_refresh``); never a sum over the ledger here."""
    kept = {row.programme_id: row for row in ProgrammeIssuance.objects.all()}
    totals = []
    for programme in Programme.objects.all():
        row = kept.get(programme.pk)
        totals.append(
            ProgrammeTotals(
                programme=programme,
                issued=row.issued if row else 0,
                returned=row.returned if row else 0,
                computed_at=row.computed_at if row else None,
            )
        )
    return totals


def issuance_by_programme() -> dict[int, tuple[int, int]]:
    """Programme id → (issued, returned), summed over the whole ledger: for the periodic job."""
    issued = dict(
        Transfer.objects.filter(debit__kind=AccountKind.ISSUANCE)
        .values_list("programme_id")
        .annotate(total=Sum("amount"))
        .values_list("programme_id", "total")
    )
    returned = dict(
        Transfer.objects.filter(credit__kind=AccountKind.ISSUANCE)
        .values_list("programme_id")
        .annotate(total=Sum("amount"))
        .values_list("programme_id", "total")
    )
    return {
        programme_id: (issued.get(programme_id) or 0, returned.get(programme_id) or 0)
        for programme_id in {*issued, *returned}
        if programme_id is not None
    }


@dataclass(frozen=True)
class CityTotals:
    issued: int
    spent_in_shop: int
    donated: int
    expired: int
    in_wallets: int


def city_totals() -> CityTotals:
    """Where all points are, by kind of account, live: the balances of the accounts that are not
    wallets (a few, by the kind index); the wallets hold the rest, as the ledger sums to zero."""
    held = dict(
        LedgerAccount.objects.filter(kind__in=[k for k in AccountKind.values if k != AccountKind.WALLET])
        .values_list("kind")
        .annotate(total=Sum("balance"))
        .values_list("kind", "total")
    )

    def balance(kind: str) -> int:
        return held.get(kind) or 0

    return CityTotals(
        issued=-balance(AccountKind.ISSUANCE),
        spent_in_shop=balance(AccountKind.PARTNER),
        donated=balance(AccountKind.CHARITY),
        expired=balance(AccountKind.EXPIRED),
        in_wallets=-sum(balance(kind) for kind in held),
    )


@dataclass(frozen=True)
class MonthlyFlow:
    """Points that moved one way in one programme in one month (city time)."""

    month: dt.date  # the first day of the month
    programme_code: str  # empty for movements outside any programme
    flow: str  # issued, returned, spent, donated, expired
    points: int
    transfers: int


# Which way a transfer moves points, by the kinds of its two accounts (the first that matches).
FLOWS: tuple[tuple[str, str | None, str | None], ...] = (
    ("issued", AccountKind.ISSUANCE, None),
    ("returned", None, AccountKind.ISSUANCE),
    ("spent", AccountKind.WALLET, AccountKind.PARTNER),
    ("donated", AccountKind.WALLET, AccountKind.CHARITY),
    ("expired", None, AccountKind.EXPIRED),
)


def monthly_flows() -> list[MonthlyFlow]:
    """Points issued, returned, spent, donated and expired per programme and month: one grouped
    query over the ledger (for the open data catalogue; no resident appears)."""
    rows = (
        Transfer.objects.annotate(month=TruncMonth("created_at", tzinfo=city_zone()))
        .values("month", "programme__code", "debit__kind", "credit__kind")
        .annotate(points=Sum("amount"), transfers=Count("id"))
        .order_by()
    )
    totals: dict[tuple[dt.date, str, str], list[int]] = {}
    for row in rows:
        for flow, debit_kind, credit_kind in FLOWS:
            if (debit_kind is None or row["debit__kind"] == debit_kind) and (
                credit_kind is None or row["credit__kind"] == credit_kind
            ):
                month = row["month"].date() if isinstance(row["month"], dt.datetime) else row["month"]
                total = totals.setdefault((month, row["programme__code"] or "", flow), [0, 0])
                total[0] += row["points"] or 0
                total[1] += row["transfers"]
                break
    return [
        MonthlyFlow(month=month, programme_code=code, flow=flow, points=points, transfers=count)
        for (month, code, flow), (points, count) in sorted(totals.items())
    ]
