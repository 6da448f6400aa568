"""Correcting cashback a wrong rule overpaid: reversals of the excess, never an edit of history."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from gorod.housing.billing import services
from gorod.housing.models import Payment
from gorod.housing.providers import FakeBank
from gorod.housing.tests.factories import BillFactory
from gorod.points import selectors as points
from gorod.points.checks import ledger_mismatches
from gorod.points.models import Transfer

pytestmark = pytest.mark.django_db
BANK = FakeBank()


def pay(payment, state="done"):
    now = timezone.now()
    body, signature = BANK.signed_callback(
        reference=payment.reference, state=state, amount=payment.amount, now=now
    )
    return services.payment_callback(provider_code="fakebank", body=body, signature=signature, now=now)


def paid_the_old_way(premise, owner, amount_kopecks, monkeypatch):
    """A payment as the slipped rule paid it: the kopecks went in as the base, 100× too much."""
    bill = BillFactory(premise=premise, amount_due=amount_kopecks)
    payment = services.payment_start(bill=bill, payer=owner)
    with monkeypatch.context() as patch:
        patch.setattr(services.rules, "cashback_base_roubles", lambda kopecks: kopecks)
        pay(payment)
    payment.refresh_from_db()
    return payment


def run(*args):
    out = StringIO()
    call_command("housing_cashback_correct", *args, stdout=out)
    return out.getvalue()


def test_dry_run_prints_the_excess_and_changes_nothing(premise, owner, monkeypatch):
    payment = paid_the_old_way(premise, owner, 456_789, monkeypatch)
    assert payment.cashback == 22_839
    transfers = Transfer.objects.count()
    output = run("--dry-run")
    assert f"payment {payment.pk}" in output and "kept 22839 points, due 228" in output
    assert "1 payment(s), 22611 points would be taken back" in output
    assert Transfer.objects.count() == transfers
    assert points.balance(owner).balance == 22_839
    assert Payment.objects.get(pk=payment.pk).cashback == 22_839


def test_correction_reverses_the_excess_once_and_the_ledger_still_proves(premise, owner, monkeypatch):
    first = paid_the_old_way(premise, owner, 456_789, monkeypatch)
    bill = BillFactory(premise=premise, amount_due=100_000, period=first.bill.period.replace(year=2020))
    right = services.payment_start(bill=bill, payer=owner)
    pay(right)  # paid by the fixed rule: 50 points, nothing to correct
    output = run()
    assert "1 payment(s), 22611 points taken back" in output and "ledger check passed" in output
    assert points.balance(owner).balance == 228 + 50
    reversal = Transfer.objects.get(source_key=f"cashback-correction:{first.pk}")
    assert reversal.amount == 22_611 and reversal.reverses.source_key == f"payment:{first.pk}"
    assert reversal.reason == "bill_cashback_correction"
    # The original transfer is untouched: history is never edited.
    assert Transfer.objects.get(source_key=f"payment:{first.pk}").amount == 22_839
    assert Payment.objects.get(pk=first.pk).cashback == 228
    # Idempotent: a second run finds nothing and writes nothing.
    transfers = Transfer.objects.count()
    assert "0 payment(s), 0 points taken back" in run()
    assert Transfer.objects.count() == transfers
    assert ledger_mismatches() == ([], 0)


def test_a_refunded_payment_is_not_corrected_twice(premise, owner, administrator, monkeypatch):
    payment = paid_the_old_way(premise, owner, 456_789, monkeypatch)
    services.payment_refund(payment=payment, actor=administrator, reason="double charge")
    assert points.balance(owner).balance == 0
    assert "0 payment(s)" in run()
    assert points.balance(owner).balance == 0
