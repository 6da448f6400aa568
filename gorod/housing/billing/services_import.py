"""Import of monthly bills (single payment documents) from a table, one row per bill line.

Columns: premise, period (YYYY-MM), payer_code, service, amount (kopecks, a whole number).
Rows of one premise and period make one bill. Every row is checked first and reported by its
line; if any is wrong nothing is written. Re-importing is idempotent by premise + period: an
identical bill is left alone, a changed one is replaced while nothing has been paid on it, and
a changed bill with payments is refused (its payments were made against the old amounts).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from gorod.accounts.models import Resident
from gorod.accounts.services import audit_record
from gorod.housing import tabular
from gorod.housing.billing import rules
from gorod.housing.buildings.services import RowError
from gorod.housing.models import Bill, BillLine, Building, Payment, PaymentState, Premise
from gorod.housing.permissions import require_admin

COLUMNS = ["premise", "period", "payer_code", "service", "amount"]
MAX_AMOUNT = 10**12  # kopecks; ten billion roubles is a typo, not a bill


@dataclass
class BillImportReport:
    created: int = 0
    replaced: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _Draft:
    line: int  # the first row of the bill, where bill-level errors are reported
    premise: str
    period: dt.date
    payer_code: str
    lines: list[tuple[str, int]] = field(default_factory=list)


def _parse(table: tabular.Table, report: BillImportReport) -> dict[tuple[str, dt.date], _Draft]:
    drafts: dict[tuple[str, dt.date], _Draft] = {}
    for line, raw in table.rows:
        before = len(report.errors)

        def fail(column: str, message: str, code: str, line: int = line) -> None:
            report.errors.append(RowError(line, column, message, code))

        premise = (raw.get("premise") or "").strip()
        if not premise:
            fail("premise", _("The premise number is missing."), "premise_missing")
        period = rules.parse_period(raw.get("period") or "")
        if period is None:
            fail("period", _("The period must be written as YYYY-MM."), "period_invalid")
        payer_code = (raw.get("payer_code") or "").strip()
        if not payer_code or len(payer_code) > 32:
            fail(
                "payer_code",
                _("The payer code is missing or longer than 32 characters."),
                "payer_code_invalid",
            )
        service = (raw.get("service") or "").strip()
        if not service or len(service) > 120:
            fail("service", _("The service is missing or longer than 120 characters."), "service_invalid")
        amount_text = (raw.get("amount") or "").strip()
        amount = int(amount_text) if amount_text.isdigit() else 0
        if not 0 < amount <= MAX_AMOUNT:
            fail("amount", _("The amount must be a whole number of kopecks above zero."), "amount_invalid")
        if len(report.errors) > before or period is None:
            continue
        draft = drafts.setdefault((premise, period), _Draft(line, premise, period, payer_code))
        if draft.payer_code != payer_code:
            fail(
                "payer_code",
                _("Another payer code than in row %(row)s for this bill.") % {"row": draft.line},
                "payer_code_differs",
            )
        elif any(existing == service for existing, _amount in draft.lines):
            fail("service", _("This service already has a line in this bill."), "service_twice")
        else:
            draft.lines.append((service, amount))
    return drafts


def bills_import(*, building: Building, table: tabular.Table, actor: Resident) -> BillImportReport:
    require_admin(actor, building)
    report = BillImportReport()
    missing = [c for c in COLUMNS if c not in table.columns]
    if missing:
        report.errors.append(
            RowError(1, ",".join(missing), _("Required columns are missing."), "import_columns_missing")
        )
        return report
    drafts = _parse(table, report)
    return _write(building, drafts, report, actor)


@transaction.atomic
def _write(
    building: Building, drafts: dict[tuple[str, dt.date], _Draft], report: BillImportReport, actor: Resident
) -> BillImportReport:
    premises = {
        p.number: p for p in Premise.objects.filter(building=building, number__in={k[0] for k in drafts})
    }
    for draft in drafts.values():
        if draft.premise not in premises:
            report.errors.append(
                RowError(
                    draft.line,
                    "premise",
                    _("No premise %(number)s in this building.") % {"number": draft.premise},
                    "premise_not_found",
                )
            )
    # Locked in primary-key order, as payment_start locks a bill: no payment can start on a
    # bill while it is being compared and replaced.
    existing = {
        (bill.premise_id, bill.period): bill
        for bill in Bill.objects.select_for_update()
        .filter(premise__building=building, period__in={k[1] for k in drafts})
        .order_by("pk")
    }
    lines_of: dict[int, Counter[tuple[str, int]]] = {}
    for bill_id, service, amount in BillLine.objects.filter(bill__in=list(existing.values())).values_list(
        "bill_id", "service", "amount"
    ):
        lines_of.setdefault(bill_id, Counter())[(service, amount)] += 1
    # A failed attempt moved no money; any other payment ties the bill to its amounts.
    paid = set(
        Payment.objects.filter(bill__in=list(existing.values()))
        .exclude(state=PaymentState.FAILED)
        .values_list("bill_id", flat=True)
    )
    to_create: list[tuple[Premise, _Draft]] = []
    to_replace: list[tuple[Bill, _Draft]] = []
    for draft in drafts.values():
        premise = premises.get(draft.premise)
        if premise is None:
            continue
        bill = existing.get((premise.pk, draft.period))
        if bill is None:
            to_create.append((premise, draft))
        elif bill.payer_code == draft.payer_code and lines_of.get(bill.pk, Counter()) == Counter(draft.lines):
            report.unchanged += 1
        elif bill.pk in paid:
            report.errors.append(
                RowError(
                    draft.line,
                    "amount",
                    _(
                        "The bill of %(number)s for %(period)s has payments and differs; it cannot be replaced."
                    )
                    % {"number": draft.premise, "period": f"{draft.period:%Y-%m}"},
                    "bill_paid_differs",
                )
            )
        else:
            to_replace.append((bill, draft))
    if report.errors:
        report.unchanged = 0
        return report
    for bill, draft in to_replace:
        Bill.objects.filter(pk=bill.pk).update(
            payer_code=draft.payer_code, amount_due=sum(a for _s, a in draft.lines)
        )
    BillLine.objects.filter(bill_id__in=[bill.pk for bill, _draft in to_replace]).delete()
    created = Bill.objects.bulk_create(
        [
            Bill(
                premise=premise,
                period=draft.period,
                payer_code=draft.payer_code,
                amount_due=sum(a for _s, a in draft.lines),
            )
            for premise, draft in to_create
        ]
    )
    BillLine.objects.bulk_create(
        [
            BillLine(bill_id=bill.pk, service=service, amount=amount)
            for bill, (_premise, draft) in zip(created, to_create, strict=True)
            for service, amount in draft.lines
        ]
        + [
            BillLine(bill_id=bill.pk, service=service, amount=amount)
            for bill, draft in to_replace
            for service, amount in draft.lines
        ]
    )
    report.created, report.replaced = len(to_create), len(to_replace)
    audit_record(
        actor=actor,
        action="housing.bills_import",
        target=building,
        after={"created": report.created, "replaced": report.replaced, "unchanged": report.unchanged},
    )
    return report
