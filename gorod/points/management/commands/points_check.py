from typing import Any

from django.core.management.base import BaseCommand, CommandError

from gorod.points.checks import ledger_mismatches


class Command(BaseCommand):
    help = "Prove that every account's balance equals its transfers and that the ledger sums to zero."

    def handle(self, *args: Any, **options: Any) -> None:
        mismatches, total = ledger_mismatches()
        for m in mismatches:
            self.stderr.write(f"{m.account_key}: {m.what} {m.materialised}, transfers say {m.from_transfers}")
        if total != 0:
            self.stderr.write(f"sum of all balances is {total}, not 0")
        if mismatches or total != 0:
            raise CommandError(f"ledger check failed: {len(mismatches)} account(s) differ, sum {total}")
        self.stdout.write(self.style.SUCCESS("ledger check passed: balances equal transfers, sum is 0"))
