"""Mission City benchmark: a partner's CSV import and one-by-one operator confirmations.

Runs against a throw-away test database (SQLite in memory, or test_<name> on PostgreSQL when
DATABASE_URL is set) and prints figures; nothing is asserted.

    .venv/bin/python bench/missions.py [residents]
"""

from __future__ import annotations

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


def main(residents: int) -> None:
    import datetime as dt

    from gorod.accounts.models import Resident
    from gorod.core.time import city_today
    from gorod.missions import services
    from gorod.missions.models import Challenge, Participation, ProofMethod

    today = city_today()
    operator = Resident.objects.create(username="bench-operator", level="full", is_superuser=True)
    Resident.objects.bulk_create(
        [Resident(username=f"bench{n}", level="standard", email=f"b{n}@x.test") for n in range(residents)]
    )
    people = list(Resident.objects.filter(username__startswith="bench").exclude(pk=operator.pk))
    csv_challenge = Challenge.objects.create(
        title="Reading",
        starts_on=today - dt.timedelta(days=1),
        ends_on=today + dt.timedelta(days=9),
        goal_amount=50,
        unit="books",
        proof_method=ProofMethod.CSV,
        action="reading_marathon",
        points_per_unit=1000,
        min_level="simplified",
    )
    started = time.perf_counter()
    for r in people:
        services.participation_join(challenge=csv_challenge, resident=r)
    joined = time.perf_counter() - started
    print(f"join: {len(people)} residents in {joined:.2f}s ({len(people) / joined:.0f}/s)")

    text = "resident,evidence,quantity\n" + "".join(f"{r.username},book-1,1\n" for r in people)
    started = time.perf_counter()
    result = services.evidence_import(challenge=csv_challenge, text=text, actor=operator)
    first = time.perf_counter() - started
    print(f"csv import: {result.added} new rows in {first:.2f}s ({result.added / first:.0f} rows/s)")
    started = time.perf_counter()
    again = services.evidence_import(challenge=csv_challenge, text=text, actor=operator)
    second = time.perf_counter() - started
    print(f"csv re-import: {again.repeated} repeated rows, {again.added} added, in {second:.2f}s")

    op_challenge = Challenge.objects.create(
        title="Norms",
        starts_on=today - dt.timedelta(days=1),
        ends_on=today + dt.timedelta(days=9),
        goal_amount=20,
        unit="norms",
        proof_method=ProofMethod.OPERATOR,
        action="sport_norms",
        points_per_unit=1000,
        min_level="simplified",
    )
    sample = people[:200]
    for r in sample:
        services.participation_join(challenge=op_challenge, resident=r)
    started = time.perf_counter()
    for n in range(16):
        for r in sample[:50]:
            services.evidence_record(challenge=op_challenge, who=r, key=f"n{n}", actor=operator)
    single = time.perf_counter() - started
    print(f"operator confirmations: 800 in {single:.2f}s ({800 / single:.0f}/s), capped at 15,000 each")
    p = Participation.objects.filter(challenge=op_challenge, resident=sample[0]).get()
    print(f"check: progress {p.progress}, points {p.points_earned} (cap 15,000)")


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        print(f"database: {connection.vendor}")
        main(count)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
