"""Demo Electronic Home: two buildings with premises and owners, meters with a year of history,
bills paid and unpaid, a finished meeting with its protocol and an open one, the building board.

anna and gleb own flats in Arbat St, 10; "housing" administers both buildings. Idempotent. Every
run leaves the meter reading windows open on the day it runs (see ``open_reading_windows``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from gorod.accounts.models import District, Resident
from gorod.core.cache import shared_cache
from gorod.core.time import city_today
from gorod.housing.billing import services as services_billing
from gorod.housing.board import demo as demo_neighbours
from gorod.housing.invitations import demo as invitations_demo
from gorod.housing.meetings import services as services_meetings
from gorod.housing.meetings import services_call
from gorod.housing.meters import rules as meters_rules
from gorod.housing.meters import selectors as meters_selectors
from gorod.housing.models import (
    Bill,
    BillLine,
    Building,
    BuildingAdministrator,
    LinkStatus,
    Meter,
    Ownership,
    Premise,
    PremiseLink,
    Reading,
    ReadingWindow,
)
from gorod.housing.providers import FakeBank, fake_bank_live

ADDRESS = gettext_noop("Arbat St, 10")
OwnerLine = tuple[str, str | None, str, str, int | None]
FLATS: list[tuple[str, str, str, list[OwnerLine]]] = [
    # number, kind, area, owners [(name, username or None, share, kind, joint group)]
    ("1", "flat", "54.30", [(gettext_noop("Ivan Kuznetsov"), None, "1", "sole", None)]),
    (
        "2",
        "flat",
        "71.05",
        [
            (gettext_noop("Maria Orlova"), None, "1/2", "shared", None),
            (gettext_noop("Pavel Orlov"), None, "1/2", "shared", None),
        ],
    ),
    ("3", "flat", "38.20", [(gettext_noop("Olga Belova"), None, "1", "sole", None)]),
    (
        "4",
        "flat",
        "62.40",
        [
            (gettext_noop("Sergey Volkov"), None, "1", "joint", 1),
            (gettext_noop("Irina Volkova"), None, "1", "joint", 1),
        ],
    ),
    ("5", "flat", "58.75", [(gettext_noop("Anna Petrova"), "anna", "1", "sole", None)]),
    ("6", "flat", "44.10", [(gettext_noop("Dmitry Lebedev"), None, "1", "sole", None)]),
    (
        "7",
        "flat",
        "80.60",
        [
            (gettext_noop("Gleb Smirnov"), "gleb", "1/2", "shared", None),
            (gettext_noop("Galina Smirnova"), None, "1/2", "shared", None),
        ],
    ),
    (
        "8",
        "flat",
        "47.00",
        [
            (gettext_noop("Yulia Morozova"), None, "2/3", "shared", None),
            (gettext_noop("Artem Morozov"), None, "1/3", "shared", None),
        ],
    ),
    ("N1", "non_residential", "120.00", [(gettext_noop("OOO Bakery"), None, "1", "sole", None)]),
    ("P1", "parking", "13.25", [(gettext_noop("Anna Petrova"), "anna", "1", "sole", None)]),
    ("P2", "parking", "13.25", []),
]


def _months_back(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 1)


def _history(meter: Meter, start: Decimal, monthly: Decimal, months: int, today: dt.date) -> None:
    value = start
    readings = []
    for back in range(months, 0, -1):
        value += monthly + Decimal(back % 3) / 2
        readings.append(
            Reading(
                meter=meter,
                period=_months_back(today, back),
                value_1=value,
                value_2=(value / 3).quantize(Decimal(1)) if meter.tariffs > 1 else None,
                consumption=monthly + Decimal(back % 3) / 2,
                source="import",
            )
        )
    # Consumption of the first month is measured from the meter's initial value.
    Reading.objects.bulk_create(readings)


def window_open_on(day: dt.date, start_day: int, end_day: int) -> tuple[int, int]:
    """The window itself if it is open on ``day``, else one as long that opens that day (the
    28th on the 29th to the 31st, running into the next month: window days stop at 28). Its
    readings belong to ``day``'s month, for which the demo history has none yet."""
    if meters_rules.reading_period(day, start_day=start_day, end_day=end_day) is not None:
        return start_day, end_day
    length = (end_day - start_day) % 28
    start = min(day.day, 28)
    if day.day > start:
        length = max(length, 1)
    return start, (start - 1 + length) % 28 + 1


@transaction.atomic
def open_reading_windows(today: dt.date) -> None:
    """A newcomer trying the demo on any date finds readings open for every meter: the Moscow
    windows (water from the 15th to the 3rd, the rest the 15th to the 26th) leave days when
    nothing can be submitted, so each window closed on the seed's date is moved to open then."""
    changed = False
    for resource, (start, end) in meters_selectors.windows_of(meters_rules.DEFAULT_WINDOWS).items():
        wanted = window_open_on(today, start, end)
        if wanted != (start, end):
            ReadingWindow.objects.update_or_create(
                resource=resource, defaults={"start_day": wanted[0], "end_day": wanted[1]}
            )
            changed = True
    if changed:
        shared_cache.bump(meters_selectors.WINDOWS_SCOPE)


def seed() -> None:
    _seed_city()
    open_reading_windows(city_today())
    arbat = Building.objects.filter(address=ADDRESS).first()
    people = {r.username: r for r in Resident.objects.filter(username__in=["anna", "gleb", "housing"])}
    if arbat is not None and {"anna", "housing"} <= people.keys():
        demo_neighbours.seed_board(arbat, people)
        invitations_demo.seed_invitation(arbat, people["anna"])


@transaction.atomic
def _seed_city() -> None:
    if Building.objects.filter(address=ADDRESS).exists():
        return None
    people = {
        r.username: r for r in Resident.objects.filter(username__in=["anna", "gleb", "housing", "boris"])
    }
    district = District.objects.filter(code="arbat").first() or District.objects.first()
    if district is None or "housing" not in people:
        return None
    arbat = Building.objects.create(
        address=ADDRESS,
        district=district,
        year_built=1962,
        management_organisation=gettext_noop("GBU Zhilishchnik Arbat"),
    )
    tverskaya = Building.objects.create(
        address=gettext_noop("Tverskaya St, 12"),
        district=District.objects.filter(code="tverskoy").first() or district,
        year_built=1938,
        management_organisation=gettext_noop("GBU Zhilishchnik Tverskoy"),
    )
    for building in (arbat, tverskaya):
        BuildingAdministrator.objects.create(building=building, resident=people["housing"])
    premises: dict[str, Premise] = {}
    for number, kind, area, owners in FLATS:
        premise = Premise.objects.create(building=arbat, number=number, kind=kind, area=Decimal(area))
        premises[number] = premise
        for name, username, share, ownership_kind, group in owners:
            fraction = Fraction(share)
            owner = people.get(username) if username else None
            Ownership.objects.create(
                premise=premise,
                owner_name=name,
                owner=owner,
                kind=ownership_kind,
                share_numerator=fraction.numerator,
                share_denominator=fraction.denominator,
                joint_group=group,
                document_number=f"77:01:0001{number}-77/011/2015",
                document_date=dt.date(2015, 4, 1),
            )
            if owner is not None and kind == "flat":
                PremiseLink.objects.create(
                    resident=owner,
                    premise=premise,
                    role="owner",
                    status=LinkStatus.CONFIRMED,
                    decided_at=timezone.now(),
                )
    for n in range(1, 5):
        Premise.objects.create(building=tverskaya, number=str(n), area=Decimal("50.00") + n)
    if "boris" in people:
        PremiseLink.objects.create(resident=people["boris"], premise=premises["3"], role="tenant")

    today = city_today()
    for username, flat in (("anna", "5"), ("gleb", "7")):
        premise = premises[flat]
        cold = Meter.objects.create(
            building=arbat,
            premise=premise,
            resource="cold_water",
            serial=f"CW-{flat}-0417",
            verification_due=dt.date(2030, 6, 1),
            installed_on=dt.date(2020, 6, 1),
            initial_value_1=Decimal("100"),
        )
        hot = Meter.objects.create(
            building=arbat,
            premise=premise,
            resource="hot_water",
            serial=f"HW-{flat}-0418",
            verification_due=dt.date(2030, 6, 1),
            installed_on=dt.date(2020, 6, 1),
            initial_value_1=Decimal("60"),
        )
        power = Meter.objects.create(
            building=arbat,
            premise=premise,
            resource="electricity",
            serial=f"EL-{flat}-9931",
            tariffs=2,
            digits=6,
            verification_due=dt.date(2034, 1, 1),
            installed_on=dt.date(2019, 1, 1),
            initial_value_1=Decimal("10000"),
            initial_value_2=Decimal("3000"),
        )
        _history(cold, Decimal("100"), Decimal("4.2"), 12, today)
        _history(hot, Decimal("60"), Decimal("2.8"), 12, today)
        _history(power, Decimal("10000"), Decimal("180"), 12, today)
        # Bills: the last three months; the two older ones paid through the fake bank.
        for back in (3, 2, 1):
            bill = Bill.objects.create(
                premise=premise,
                period=_months_back(today, back),
                payer_code=f"{4400000000 + int(premise.pk):010d}",
                amount_due=612_345 + back * 10_000,
            )
            BillLine.objects.bulk_create(
                [
                    BillLine(
                        bill=bill, service=gettext_noop("Maintenance"), amount=bill.amount_due - 300_000
                    ),
                    BillLine(bill=bill, service=gettext_noop("Heating"), amount=180_000),
                    BillLine(bill=bill, service=gettext_noop("Water and sewerage"), amount=120_000),
                ]
            )
            # Paid through the fake bank where it is live (the demo); a stand without it has
            # no way to pay, so its bills stay due.
            if back > 1 and fake_bank_live():
                payment = services_billing.payment_start(bill=bill, payer=people[username])
                now = timezone.now()
                for state in ("processing", "done"):
                    body, signature = FakeBank().signed_callback(
                        reference=payment.reference, state=state, amount=payment.amount, now=now
                    )
                    services_billing.payment_callback(
                        provider_code="fakebank", body=body, signature=signature, now=now
                    )

    now = timezone.now()
    agenda = [
        (gettext_noop("Elect the chair and the secretary of the meeting"), "participants"),
        (gettext_noop("Approve the roof repair plan for next year"), "all_majority"),
        (gettext_noop("Lease part of the basement to the bakery"), "two_thirds"),
    ]
    past_start = now - dt.timedelta(days=40)
    finished = services_call.meeting_create(
        building=arbat,
        title=gettext_noop("Annual owners' meeting"),
        questions=agenda,
        actor=people["housing"],
        notice_at=past_start - dt.timedelta(days=12),
        starts_at=past_start,
        ends_at=past_start + dt.timedelta(days=14),
    )
    services_meetings.meeting_start(meeting=finished, now=past_start)
    questions = list(finished.questions.order_by("position"))
    for username, choices in (("anna", ["for", "for", "against"]), ("gleb", ["for", "for", "for"])):
        services_meetings.ballot_cast(
            meeting=finished,
            resident=people[username],
            answers={q.pk: c for q, c in zip(questions, choices, strict=True)},
            now=past_start + dt.timedelta(days=2),
        )
    for entry in finished.register.exclude(holders__isnull=False).order_by("pk")[:6]:
        services_meetings.paper_ballot_enter(
            meeting=finished,
            entry=entry,
            answers={q.pk: "for" for q in questions},
            actor=people["housing"],
            now=past_start + dt.timedelta(days=5),
        )
    services_meetings.meeting_finish(meeting=finished, now=past_start + dt.timedelta(days=14))
    open_start = now - dt.timedelta(days=1)
    services_call.meeting_create(
        building=arbat,
        title=gettext_noop("Courtyard improvement"),
        actor=people["housing"],
        questions=[
            (gettext_noop("Install a children's playground in the courtyard"), "participants"),
            (gettext_noop("Set up barriers at the courtyard entrance"), "two_thirds"),
        ],
        notice_at=open_start - dt.timedelta(days=11),
        starts_at=open_start,
        ends_at=open_start + dt.timedelta(days=21),
    )
    return None
