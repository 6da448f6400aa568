"""A trustee's part of unlocking the mixer (ADR 0003, "Key custody").

A locked mixer (``run_schedules``) asks for the key of each epoch that waiting ballots need, with
a session key that lives only in its memory. Each trustee runs this with their own private key
file: their share is opened here and sealed again to that session key, so it is never stored
readable. Once k trustees have answered, the mixer takes the key at its next run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gorod.voting.custody import rules, services
from gorod.voting.custody.models import Trustee


class Command(BaseCommand):
    help = "Give this trustee's share to every mixer waiting for an unlock."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--trustee", required=True, help="the trustee's registered name")
        parser.add_argument("--key-file", required=True, help="file with the trustee's private key (hex)")

    def handle(self, *args: Any, **options: Any) -> None:
        trustee = Trustee.objects.filter(name=options["trustee"], active=True).first()
        if trustee is None:
            raise CommandError(f"no active trustee {options['trustee']!r}")
        try:
            private = rules.private_from(bytes.fromhex(Path(options["key_file"]).read_text().strip()))
            given = services.unlock_give(trustee=trustee, private=private)
        except (ValueError, OSError, rules.CustodyError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{trustee.name}: share given to {given} waiting unlock request(s)")
