"""Charity donations: points go from the resident's wallet to the fund's ledger account."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from gorod.accounts.models import Resident
from gorod.points import services_spend as points_services
from gorod.points.errors import NonPositiveAmount
from gorod.points.models import LedgerAccount, Programme
from gorod.rewards import rules
from gorod.rewards.errors import DonationAmountOutOfRange, FundNotAccepting, FundNotFound
from gorod.rewards.models import CharityFund, Donation


@transaction.atomic(durable=True)
def donation_make(*, resident: Resident, fund_id: int, amount: int) -> Donation:
    """Give points to a fund; the resident gets a numbered receipt. Refusals move nothing."""
    fund = CharityFund.objects.filter(pk=fund_id).first()
    if fund is None:
        raise FundNotFound(field="fund")
    if fund.verification != CharityFund.Verification.VERIFIED or fund.ledger_account_id is None:
        raise FundNotAccepting(field="fund")
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        raise NonPositiveAmount(field="amount")
    if not rules.donation_bounds_ok(amount=amount, minimum=fund.min_donation, maximum=fund.max_donation):
        raise DonationAmountOutOfRange(
            field="amount", minimum=fund.min_donation, maximum=fund.max_donation or "∞"
        )
    receipt = f"D-{rules.new_code(12)}"
    transfer = points_services.spend(
        resident=resident,
        to_account=LedgerAccount.objects.get(pk=fund.ledger_account_id),
        amount=amount,
        reason="donation",
        source_key=f"rewards:donation:{receipt}",
        programme=Programme.objects.filter(code="charity").first(),
        actor=resident,
        memo=fund.name,
    )
    return Donation.objects.create(
        receipt_number=receipt,
        fund=fund,
        resident=resident,
        amount=amount,
        transfer=transfer,
        created_at=timezone.now(),
    )
