"""Electronic Home benchmark: readings through the bulk import path (with points), and the time
to compute an owners' meeting result for a building of 1,000 premises.

Runs against a throw-away test database (SQLite in memory, or test_<name> on PostgreSQL when
DATABASE_URL is set) and prints figures; nothing is asserted.

    .venv/bin/python bench/housing.py [readings]
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from decimal import Decimal

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from gorod.housing.meetings import selectors as meetings_selectors  # noqa: E402

PERIOD = dt.date(2026, 11, 1)


def make_building(prefix: str, premises: int, meters_per_premise: int, owners_per_premise: int = 1):
    from gorod.accounts.models import District, Okrug, Resident
    from gorod.housing.models import Building, LinkStatus, Meter, Ownership, Premise, PremiseLink

    okrug, _ = Okrug.objects.get_or_create(code="bench", defaults={"name": "Bench"})
    district, _ = District.objects.get_or_create(code="bench", defaults={"name": "Bench", "okrug": okrug})
    building = Building.objects.create(address=f"{prefix} Bench St, 1", district=district)
    Resident.objects.bulk_create(
        [
            Resident(
                username=f"{prefix}{n}",
                email=f"{prefix}{n}@bench.test",
                level="full" if n % 2 else "standard",
            )
            for n in range(premises * owners_per_premise)
        ],
        batch_size=5000,
    )
    people = list(Resident.objects.filter(username__startswith=prefix).order_by("pk"))
    Premise.objects.bulk_create(
        [
            Premise(building=building, number=str(n + 1), area=Decimal(30 + (n * 37) % 90) + Decimal("0.25"))
            for n in range(premises)
        ],
        batch_size=5000,
    )
    flats = list(Premise.objects.filter(building=building).order_by("pk"))
    ownerships, links, meters = [], [], []
    for n, flat in enumerate(flats):
        for k in range(owners_per_premise):
            person = people[n * owners_per_premise + k]
            ownerships.append(
                Ownership(
                    premise=flat,
                    owner=person,
                    owner_name=person.username,
                    kind="shared" if owners_per_premise > 1 else "sole",
                    share_numerator=1,
                    share_denominator=owners_per_premise,
                    document_number=f"{prefix}/{n}/{k}",
                    document_date=dt.date(2015, 1, 1),
                )
            )
            links.append(
                PremiseLink(resident=person, premise=flat, role="owner", status=LinkStatus.CONFIRMED)
            )
        for m in range(meters_per_premise):
            meters.append(
                Meter(
                    building=building,
                    premise=flat,
                    resource="cold_water" if m % 2 == 0 else "hot_water",
                    serial=f"{prefix}-{n}-{m}",
                    verification_due=dt.date(2032, 1, 1),
                    installed_on=dt.date(2020, 1, 1),
                )
            )
    Ownership.objects.bulk_create(ownerships, batch_size=5000)
    PremiseLink.objects.bulk_create(links, batch_size=5000)
    Meter.objects.bulk_create(meters, batch_size=5000)
    return building, flats, people


def bench_readings(count: int) -> None:
    from gorod.accounts.models import Resident
    from gorod.housing.meters.services_import import ImportedReading, readings_import
    from gorod.housing.models import Meter, Reading
    from gorod.points.checks import ledger_mismatches

    operator = Resident.objects.create(username="bench-operator", level="full", is_superuser=True)
    premises = count // 2
    t0 = time.perf_counter()
    building, flats, people = make_building("r", premises, 2)
    meters = list(Meter.objects.filter(building=building).order_by("pk").values_list("pk", "premise_id"))
    owner_of = {flat.pk: people[n].pk for n, flat in enumerate(flats)}
    # A month of history so every row is checked against a real baseline and median.
    Reading.objects.bulk_create(
        [
            Reading(
                meter_id=pk,
                period=dt.date(2026, 10, 1),
                value_1=Decimal("5.000"),
                consumption=Decimal("5.000"),
            )
            for pk, _premise in meters
        ],
        batch_size=5000,
    )
    print(
        f"setup: {len(meters)} meters, {len(flats)} premises, {len(people)} residents in {time.perf_counter() - t0:.1f}s"
    )
    rows = [ImportedReading(pk, owner_of[premise], [f"{5 + (pk % 7) + 0.125:.3f}"]) for pk, premise in meters]
    started = time.perf_counter()
    report = readings_import(period=PERIOD, rows=rows, actor=operator, today=dt.date(2026, 11, 20))
    elapsed = time.perf_counter() - started
    print(
        f"bulk import: {report.accepted} readings accepted ({report.flagged} flagged, {len(report.errors)} refused), "
        f"{report.points} points, in {elapsed:.2f}s = {report.accepted / elapsed:,.0f} readings/s with points"
    )
    started = time.perf_counter()
    again = readings_import(period=PERIOD, rows=rows, actor=operator, today=dt.date(2026, 11, 20))
    elapsed = time.perf_counter() - started
    print(
        f"re-import of the same month (replaces, no new points): {again.accepted} in {elapsed:.2f}s "
        f"= {again.accepted / elapsed:,.0f} readings/s, {again.points} points"
    )
    mismatches, _total = ledger_mismatches()
    print(
        f"check: ledger mismatches {len(mismatches)}; readings stored {Reading.objects.filter(period=PERIOD).count()}"
    )


def bench_meeting(premises: int) -> None:
    import random

    from django.utils import timezone

    from gorod.accounts.models import Resident
    from gorod.housing.meetings import services as services_meetings
    from gorod.housing.meetings import services_call
    from gorod.housing.models import MeetingBallot, RegisterEntry

    building, _flats, people = make_building("m", premises, 0, owners_per_premise=2)
    admin = Resident.objects.get(username="bench-operator")
    now = timezone.now()
    questions = [
        (f"Question {n}", t) for n, t in enumerate(["participants", "all_majority", "two_thirds"] * 2, 1)
    ]
    meeting = services_call.meeting_create(
        building=building,
        title="Bench meeting",
        questions=questions,
        actor=admin,
        notice_at=now - dt.timedelta(days=20),
        starts_at=now - dt.timedelta(days=5),
        ends_at=now + dt.timedelta(days=5),
    )
    started = time.perf_counter()
    services_meetings.meeting_start(meeting=meeting)
    frozen = time.perf_counter() - started
    entries = RegisterEntry.objects.filter(meeting=meeting).count()
    print(f"meeting register frozen: {entries} entries ({premises} premises, 2 owners each) in {frozen:.2f}s")
    sample = random.Random(7).sample(people, int(len(people) * 0.7))
    answers = {q.pk: "for" for q in meeting.questions.all()}
    started = time.perf_counter()
    for person in sample[:200]:
        services_meetings.ballot_cast(meeting=meeting, resident=person, answers=answers)
    cast = time.perf_counter() - started
    print(
        f"electronic ballots: 200 owners x {len(questions)} questions in {cast:.2f}s ({200 / cast:.0f} owners/s)"
    )
    rng = random.Random(11)
    MeetingBallot.objects.bulk_create(
        [
            MeetingBallot(
                entry=e, question_id=q, choice=rng.choice(["for", "for", "against", "abstain"]), cast_by=admin
            )
            for e in RegisterEntry.objects.filter(
                meeting=meeting, holders__resident__in=sample[200:]
            ).distinct()
            for q in answers
        ],
        batch_size=5000,
    )
    ballots = MeetingBallot.objects.filter(entry__meeting=meeting).count()
    started = time.perf_counter()
    result = meetings_selectors.meeting_tally(meeting)
    tally = time.perf_counter() - started
    print(
        f"meeting result for {premises} premises ({ballots} ballots, exact fractions): {tally * 1000:.0f} ms; "
        f"quorum {result.quorum}, adopted {[q.adopted for q in result.questions]}"
    )
    started = time.perf_counter()
    services_meetings.meeting_finish(meeting=meeting, now=meeting.ends_at)
    finish = time.perf_counter() - started
    print(f"meeting finish with PDF protocol ({entries} register lines): {finish:.2f}s")


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 60_000
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        print(f"database: {connection.vendor}")
        bench_readings(count)
        bench_meeting(1000)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
