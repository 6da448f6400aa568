"""Register a trustee of the ballot seal by their X25519 public key (ADR 0003, "Key custody").

The trustee makes their key pair on their own machine (``--generate FILE`` does it here and writes
the private key to FILE, for a trustee who runs this themselves) and keeps the private key;
only the public key reaches the database. A new trustee holds shares of epochs made after.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gorod.voting.custody import rules, services


class Command(BaseCommand):
    help = "Register a ballot-seal trustee by name and X25519 public key (64 hex digits)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name")
        key = parser.add_mutually_exclusive_group(required=True)
        key.add_argument("--public-key", help="the trustee's X25519 public key, 64 hex digits")
        key.add_argument("--generate", metavar="FILE", help="make a key pair; the private key goes to FILE")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["generate"]:
                private = rules.new_private()
                path = Path(options["generate"])
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # never overwrite a key
                with os.fdopen(fd, "w") as out:
                    out.write(rules.private_bytes(private).hex() + "\n")
                public = rules.public_bytes(private)
            else:
                public = bytes.fromhex(options["public_key"].strip())
            trustee = services.trustee_register(name=options["name"], public_key=public)
        except (ValueError, OSError, rules.CustodyError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"trustee {trustee.name} registered, public key {public.hex()}")
