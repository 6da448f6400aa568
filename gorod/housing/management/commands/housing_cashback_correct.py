"""Take back bill cashback that a wrong rule overpaid (the rule once read kopecks as roubles).

Prints each affected payment; with ``--dry-run`` changes nothing. Each payment is corrected in
its own transaction with a reversal of the excess (history is never edited), so an interrupted
run resumes where it stopped and a second run finds nothing to do.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from gorod.housing.billing import selectors as billing_selectors
from gorod.housing.billing import services as services_billing
from gorod.points.checks import ledger_mismatches


class Command(BaseCommand):
    help = "Reverse the excess of every bill cashback paid above what its rule gives (idempotent)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true", help="print what would be done, change nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = options["dry_run"]
        count = total = 0
        for excess in billing_selectors.cashback_excesses():
            count += 1
            total += excess.excess_points
            self.stdout.write(
                f"payment {excess.payment_id} (resident {excess.payer_id}, {excess.amount_kopecks} kopecks): "
                f"kept {excess.kept_points} points, due {excess.due_points}, "
                f"{'would take back' if dry_run else 'taking back'} {excess.excess_points}"
            )
            if not dry_run:
                services_billing.cashback_correct(excess=excess)
        verb = "would be taken back" if dry_run else "taken back"
        self.stdout.write(f"{count} payment(s), {total} points {verb}")
        if not dry_run:
            mismatches, ledger_sum = ledger_mismatches()
            if mismatches or ledger_sum:
                raise CommandError(f"ledger check failed after the correction: {len(mismatches)} account(s)")
            else:
                self.stdout.write("ledger check passed")
