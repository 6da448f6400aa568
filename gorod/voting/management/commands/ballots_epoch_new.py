"""Make a new ballot-seal key epoch: a key pair whose private key is split k of n among the active
trustees, each share sealed to one trustee's public key, and then forgotten (ADR 0003).

Prints the public key: set GOROD_BALLOT_SEAL_PUBLIC_KEY to it and restart the web processes.
Ballots already sealed to an older epoch stay openable with that epoch's shares until mixed.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gorod.voting.custody import rules, services


class Command(BaseCommand):
    help = "Make a ballot-seal key epoch split k of n among the active trustees; prints its public key."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--k", type=int, required=True, help="trustees needed to unlock (k of n)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            epoch = services.epoch_create(threshold=options["k"])
        except rules.CustodyError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"epoch {epoch.pk}: {epoch.threshold} of {epoch.shares.count()} trustees\n"
            f"GOROD_BALLOT_SEAL_PUBLIC_KEY={bytes(epoch.public_key).hex()}"
        )
