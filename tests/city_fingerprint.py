"""Print a JSON fingerprint of the city in the database named by DATABASE_URL: the ledger check,
every balance, ballot counts and tallies per poll, and a content hash and row count of every
table. Run as a script by the backup and fault tests (one process per database)."""

from __future__ import annotations

import hashlib
import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.apps import apps  # noqa: E402
from django.core.serializers.json import DjangoJSONEncoder  # noqa: E402
from django.db.models import Count  # noqa: E402

from gorod.points.checks import ledger_mismatches  # noqa: E402
from gorod.points.models import LedgerAccount  # noqa: E402


class Encoder(DjangoJSONEncoder):
    def default(self, o: object) -> object:
        if isinstance(o, memoryview | bytes):
            return bytes(o).hex()
        return super().default(o)


def fingerprint() -> dict:
    mismatches, checked = ledger_mismatches()
    result: dict = {
        "points_check": {"mismatches": [str(m) for m in mismatches], "sum_of_balances": checked},
        "balances": {a.key: [a.balance, a.held] for a in LedgerAccount.objects.order_by("key")},
        "tables": {},
    }
    if apps.is_installed("gorod.voting"):
        from gorod.voting import tally
        from gorod.voting.models import Ballot, Poll

        result["ballots"] = {
            str(row["poll_id"]): row["n"]
            for row in Ballot.objects.values("poll_id").annotate(n=Count("id")).order_by()
        }
        result["tallies"] = {str(p.pk): tally.compute(p) for p in Poll.objects.order_by("pk")}
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        rows = list(model._default_manager.order_by("pk").values())
        digest = hashlib.sha256(json.dumps(rows, cls=Encoder, sort_keys=True).encode()).hexdigest()
        result["tables"][model._meta.label] = [len(rows), digest]
    return result


if __name__ == "__main__":
    json.dump(fingerprint(), sys.stdout, cls=Encoder, sort_keys=True)
