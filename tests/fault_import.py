"""Helper process for the SIGKILL fault test (tests/test_fault_import.py); DATABASE_URL names
the database.

    python tests/fault_import.py setup METERS   # migrate-free: the test migrated already
    python tests/fault_import.py import BATCH   # the bulk import; prints "committed N" as it goes
    python tests/fault_import.py state         # JSON: readings, balances, ledger check
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

PERIOD = dt.date(2026, 11, 1)
TODAY = dt.date(2026, 11, 20)


def setup(meters: int) -> None:
    from gorod.accounts.models import District, Okrug, Resident
    from gorod.housing.models import Building, LinkStatus, Meter, Premise, PremiseLink, Reading

    Resident.objects.create(username="fault-operator", level="full", is_superuser=True)
    okrug = Okrug.objects.create(code="fault", name="Fault")
    district = District.objects.create(code="fault", name="Fault", okrug=okrug)
    building = Building.objects.create(address="1 Fault St", district=district)
    flats = meters // 2
    Resident.objects.bulk_create(
        [
            Resident(username=f"f{n}", email=f"f{n}@fault.test", level="full" if n % 2 else "standard")
            for n in range(flats)
        ]
    )
    people = list(
        Resident.objects.filter(username__startswith="f", email__endswith="@fault.test").order_by("pk")
    )
    Premise.objects.bulk_create(
        [Premise(building=building, number=str(n + 1), area=Decimal("45.50")) for n in range(flats)]
    )
    premises = list(Premise.objects.filter(building=building).order_by("pk"))
    PremiseLink.objects.bulk_create(
        [
            PremiseLink(resident=person, premise=flat, role="owner", status=LinkStatus.CONFIRMED)
            for person, flat in zip(people, premises, strict=True)
        ]
    )
    Meter.objects.bulk_create(
        [
            Meter(
                building=building,
                premise=flat,
                resource="cold_water" if m == 0 else "hot_water",
                serial=f"fault-{n}-{m}",
                verification_due=dt.date(2032, 1, 1),
                installed_on=dt.date(2020, 1, 1),
            )
            for n, flat in enumerate(premises)
            for m in range(2)
        ]
    )
    Reading.objects.bulk_create(
        [
            Reading(
                meter=meter,
                period=dt.date(2026, 10, 1),
                value_1=Decimal("5.000"),
                consumption=Decimal("5.000"),
            )
            for meter in Meter.objects.filter(building=building)
        ]
    )


def rows(batch: int) -> Iterator[object]:
    from gorod.housing.meters.services_import import ImportedReading
    from gorod.housing.models import Meter, PremiseLink

    owner_of = dict(PremiseLink.objects.values_list("premise_id", "resident_id"))
    for index, (pk, premise) in enumerate(Meter.objects.order_by("pk").values_list("pk", "premise_id")):
        if index and index % batch == 0:
            # readings_import asks for this row only after the previous batch committed
            print(f"committed {index}", flush=True)
        yield ImportedReading(pk, owner_of[premise], [f"{5 + (pk % 7) + 0.125:.3f}"])


def run_import(batch: int) -> None:
    from gorod.accounts.models import Resident
    from gorod.housing.meters.services_import import readings_import

    operator = Resident.objects.get(username="fault-operator")
    report = readings_import(period=PERIOD, rows=rows(batch), actor=operator, batch_size=batch, today=TODAY)
    print(
        json.dumps({"accepted": report.accepted, "points": report.points, "errors": len(report.errors)}),
        flush=True,
    )


def state() -> dict:
    from gorod.housing.models import Reading
    from gorod.points.checks import ledger_mismatches
    from gorod.points.models import LedgerAccount, Transfer

    mismatches, accounts = ledger_mismatches()
    return {
        "readings": sorted(
            [m.serial, str(p), str(v), str(c)]
            for m, p, v, c in (
                (r.meter, r.period, r.value_1, r.consumption)
                for r in Reading.objects.select_related("meter").filter(period=PERIOD)
            )
        ),
        "balances": sorted(
            [a.resident.username if a.resident else a.key, a.balance]
            for a in LedgerAccount.objects.select_related("resident").order_by("key")
        ),
        "transfers": sorted(Transfer.objects.values_list("source_key", flat=True)),
        "points_check": [len(mismatches), accounts],
    }


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "setup":
        setup(int(sys.argv[2]))
    elif command == "import":
        run_import(int(sys.argv[2]))
    elif command == "state":
        print(json.dumps(state(), sort_keys=True))
