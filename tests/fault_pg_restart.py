"""Helper process for the PostgreSQL-restart fault test (tests/test_fault_pg_restart.py);
DATABASE_URL names the (empty) database.

    python tests/fault_pg_restart.py setup RESIDENTS POLLS   # migrate, then JSON: tokens, polls, ...
    python tests/fault_pg_restart.py state                   # JSON: what the database holds
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

GRANT = 5000
PRICE = 100


def setup(residents: int, polls: int) -> dict:
    from django.core.management import call_command
    from django.utils import timezone

    from gorod.accounts.models import ApiToken, District, Okrug, Resident
    from gorod.accounts.rules import TOKEN_PREFIX, token_digest
    from gorod.housing.models import Building, LinkStatus, Meter, Premise, PremiseLink, ReadingWindow
    from gorod.points.services_bulk import AwardRequest, award_many
    from gorod.points.services_rules import earning_rule_define
    from gorod.rewards.tests.factories import make_partner, make_point, make_reward
    from gorod.voting import selectors as voting_selectors
    from gorod.voting import services as voting
    from gorod.voting.services import QuestionSpec

    call_command("migrate", "--noinput", verbosity=0)  # here, to start Django once, not twice
    okrug = Okrug.objects.create(code="restart", name="Restart")
    district = District.objects.create(code="restart", name="Restart", okrug=okrug)
    Resident.objects.bulk_create(
        [
            Resident(username=f"r{n}", email=f"r{n}@restart.test", level="full", home_district=district)
            for n in range(residents)
        ]
    )
    people = list(Resident.objects.filter(email__endswith="@restart.test").order_by("pk"))
    tokens = [TOKEN_PREFIX + secrets.token_urlsafe(24) for _ in people]
    ApiToken.objects.bulk_create(
        [
            ApiToken(resident=p, name="restart", prefix=t[:8], digest=token_digest(t))
            for p, t in zip(people, tokens, strict=True)
        ]
    )
    earning_rule_define(programme="mission_city", action="restart_grant", name="Restart test grant")
    award_many(
        programme="mission_city",
        action="restart_grant",
        requests=[
            AwardRequest(resident_id=p.pk, level=p.level, source_key=f"restart:{p.pk}", amount=GRANT)
            for p in people
        ],
    )
    # Readings are taken on any day of the month here (a window from the 2nd to the 1st), so the
    # test does not depend on the date.
    ReadingWindow.objects.update_or_create(resource="cold_water", defaults={"start_day": 2, "end_day": 1})
    building = Building.objects.create(address="1 Restart St", district=district)
    Premise.objects.bulk_create(
        [Premise(building=building, number=str(n + 1), area=Decimal("40.00")) for n in range(residents)]
    )
    flats = list(Premise.objects.filter(building=building).order_by("pk"))
    PremiseLink.objects.bulk_create(
        [
            PremiseLink(resident=p, premise=f, role="owner", status=LinkStatus.CONFIRMED)
            for p, f in zip(people, flats, strict=True)
        ]
    )
    Meter.objects.bulk_create(
        [
            Meter(
                building=building,
                premise=f,
                resource="cold_water",
                serial=f"restart-{n}",
                verification_due=dt.date(2032, 1, 1),
                installed_on=dt.date(2020, 1, 1),
            )
            for n, f in enumerate(flats)
        ]
    )
    meter_of = dict(Meter.objects.filter(building=building).values_list("premise_id", "pk"))
    now = timezone.now()
    poll_rows = []
    for n in range(polls):
        poll = voting.poll_create(
            title=f"Restart poll {n}",
            opens_at=now - dt.timedelta(hours=1),
            closes_at=now + dt.timedelta(days=7),
            questions=[QuestionSpec(text="Which option?", options=["One", "Two", "Three"])],
        )
        voting.poll_open(poll_id=poll.pk)
        shape = voting_selectors.question_shapes(poll)[0]
        poll_rows.append([poll.pk, shape.id, sorted(shape.option_ids)[n % 3]])
    partner = make_partner("Restart café")
    point = make_point(partner)
    reward = make_reward(partner, price=PRICE, stock=1_000_000, points=[(point, 0)], title="Restart mug")
    return {
        "residents": [p.pk for p in people],
        "tokens": tokens,
        "meters": [meter_of[f.pk] for f in flats],
        "polls": poll_rows,
        "reward": reward.pk,
    }


def state() -> dict:
    from django.db.models import Count

    from gorod.accounts.models import Resident
    from gorod.housing.models import Reading
    from gorod.points import selectors as points
    from gorod.points.checks import ledger_mismatches
    from gorod.points.models import Transfer
    from gorod.rewards.models import Order
    from gorod.voting.models import Ballot, Participation, PendingBallot

    mismatches, accounts = ledger_mismatches()
    return {
        "participations": Participation.objects.count(),
        # Ballots wait sealed until a mix publishes them (ADR 0003): count both.
        "ballots": PendingBallot.objects.count() + Ballot.objects.count(),
        "orders": sorted(Order.objects.values_list("pk", flat=True)),
        "orders_per_resident": {
            str(row["resident_id"]): row["n"]
            for row in Order.objects.values("resident_id").annotate(n=Count("id")).order_by()
        },
        "held": {
            str(r.pk): points.balance(r).held
            for r in Resident.objects.filter(email__endswith="@restart.test").order_by("pk")
        },
        "readings": sorted(
            [r.meter_id, r.period.isoformat()]
            for r in Reading.objects.filter(submitted_by__isnull=False).order_by("pk")
        ),
        "vote_awards": Transfer.objects.filter(source_key__startswith="vote:").count(),
        "points_check": [len(mismatches), accounts],
    }


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "setup":
        print(json.dumps(setup(int(sys.argv[2]), int(sys.argv[3]))))
    elif command == "state":
        print(json.dumps(state(), sort_keys=True))
