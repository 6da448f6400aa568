"""Demo challenges with progress: sport norms (operator), a reading marathon (partner CSV) and a
ski run measured in kilometres (partner staff with codes). Idempotent."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext_noop

from gorod.accounts.models import Resident
from gorod.core.time import city_today
from gorod.missions import services
from gorod.missions.models import Challenge, GoalKind, Participation, ProofMethod


def _challenge(title: str, **fields: object) -> Challenge:
    challenge = Challenge.objects.filter(title=title).first()
    if challenge is None:
        challenge = services.challenge_save(challenge=Challenge(title=title, **fields), actor=None)
    return challenge


def _joined(challenge: Challenge, resident: Resident, *, show: bool) -> None:
    if not Participation.objects.filter(challenge=challenge, resident=resident).exists():
        services.participation_join(challenge=challenge, resident=resident)
    services.leaderboard_opt(challenge=challenge, resident=resident, show=show)


def seed() -> None:
    today = city_today()
    start, end = today - dt.timedelta(days=20), today + dt.timedelta(days=60)
    with transaction.atomic():
        norms = _challenge(
            gettext_noop("Pass the GTO sport norms"),
            description=gettext_noop(
                "Pass the national fitness norms at a city sports centre. 1,000 points per norm."
            ),
            starts_on=start,
            ends_on=end,
            goal_kind=GoalKind.STEPS,
            goal_amount=16,
            unit=gettext_noop("norms"),
            proof_method=ProofMethod.OPERATOR,
            action="sport_norms",
            points_per_unit=1000,
        )
        reading = _challenge(
            gettext_noop("Winter reading marathon"),
            description=gettext_noop(
                "Read books from the city libraries' list; the libraries send us who read what."
            ),
            starts_on=start,
            ends_on=end,
            goal_kind=GoalKind.STEPS,
            goal_amount=50,
            unit=gettext_noop("books"),
            proof_method=ProofMethod.CSV,
            action="reading_marathon",
            points_per_unit=1000,
        )
        ski = _challenge(
            gettext_noop("Ski 100 km in city parks"),
            description=gettext_noop(
                "Partner staff at the park rental desks confirm your kilometres with your mission code."
            ),
            starts_on=start,
            ends_on=end,
            goal_kind=GoalKind.QUANTITY,
            goal_amount=100,
            unit=gettext_noop("km"),
            proof_method=ProofMethod.PARTNER_CODE,
            action="sport_norms",
            points_per_unit=100,
        )
    desk = Resident.objects.filter(username="partner").first()
    if desk is not None:
        # The demo partner's desk runs the reading marathon and the ski run, not the GTO norms.
        reading.confirmers.add(desk)
        ski.confirmers.add(desk)
    residents = {
        r.username: r for r in Resident.objects.filter(username__in=["anna", "boris", "gleb", "operator"])
    }
    if len(residents) < 4:
        return
    operator = residents["operator"]
    for name, show in (("anna", True), ("boris", False), ("gleb", True)):
        for challenge in (norms, reading, ski):
            _joined(challenge, residents[name], show=show)
    for n in range(1, 6):
        services.evidence_record(challenge=norms, who=residents["anna"], key=f"gto-{n}", actor=operator)
    for n in range(1, 3):
        services.evidence_record(challenge=norms, who=residents["gleb"], key=f"gto-{n}", actor=operator)
    csv_text = "resident,evidence,quantity\n" + "".join(
        f"{who},book-{n},1\n"
        for who in ("anna", "boris", "gleb")
        for n in range(1, 4 if who != "anna" else 8)
    )
    services.evidence_import(challenge=reading, text=csv_text, actor=operator)
    ski_codes = dict(Participation.objects.filter(challenge=ski).values_list("resident__username", "code"))
    services.evidence_record(
        challenge=ski,
        who=ski_codes["anna"],
        key="run-1",
        quantity=12,
        source=ProofMethod.PARTNER_CODE,
        actor=None,
    )
