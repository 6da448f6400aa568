from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from gorod.accounts import roles
from gorod.accounts.tests.factories import ResidentFactory
from gorod.housing import errors
from gorod.housing.meters import services as services_meters
from gorod.housing.meters.services_import import ImportedReading, readings_import
from gorod.housing.models import Reading
from gorod.housing.tests.factories import AdministratorFactory, BuildingFactory, MeterFactory
from gorod.points import selectors as points
from gorod.points.checks import ledger_mismatches
from gorod.points.models import LedgerAccount, Transfer

pytestmark = pytest.mark.django_db
NOV = dt.date(2026, 11, 1)
TODAY = dt.date(2026, 11, 20)
QUERIES_PER_BATCH = 18  # savepoints included: the test runs inside a transaction


def test_bulk_import_accepts_good_rows_reports_bad_and_awards_once(premise, owner, administrator):
    meters = [MeterFactory(premise=premise) for _ in range(4)]
    archived = MeterFactory(premise=premise, archived_on=dt.date(2026, 1, 1))
    stranger = ResidentFactory()
    rows = [
        ImportedReading(meters[0].pk, owner.pk, ["101.5"]),
        ImportedReading(meters[1].pk, owner.pk, ["99"]),  # lower than initial 100
        ImportedReading(meters[2].pk, stranger.pk, ["101"]),  # not linked
        ImportedReading(archived.pk, owner.pk, ["101"]),
        ImportedReading(meters[3].pk, owner.pk, ["180"]),  # over the ceiling: accepted, flagged
        ImportedReading(meters[3].pk, owner.pk, ["181"]),  # the same meter twice
        ImportedReading(999999, owner.pk, ["1"]),
    ]
    report = readings_import(period=NOV, rows=rows, actor=administrator, batch_size=3, today=TODAY)
    assert report.accepted == 2 and report.flagged == 1 and report.points == 20
    assert [(i, code) for i, code, _m in report.errors] == [
        (1, "reading_decreases"),
        (2, "not_your_meter"),
        (3, "meter_archived"),
        (5, "reading_meter_twice"),
        (6, "meter_not_found"),
    ]
    assert points.balance(owner).balance == 20
    again = readings_import(
        period=NOV, rows=[ImportedReading(meters[0].pk, owner.pk, ["102"])], actor=administrator, today=TODAY
    )
    assert again.accepted == 1 and again.points == 0
    assert Reading.objects.get(meter=meters[0], period=NOV).value_1 == Decimal("102.000")
    assert points.balance(owner).balance == 20
    assert ledger_mismatches()[0] == []


def test_bulk_import_uses_previous_period_as_baseline(meter, owner, administrator):
    readings_import(
        period=dt.date(2026, 10, 1),
        rows=[ImportedReading(meter.pk, owner.pk, ["110"])],
        actor=administrator,
        today=TODAY,
    )
    report = readings_import(
        period=NOV, rows=[ImportedReading(meter.pk, owner.pk, ["105"])], actor=administrator, today=TODAY
    )
    assert [code for _i, code, _m in report.errors] == ["reading_decreases"]
    assert Reading.objects.filter(meter=meter).count() == 1


def test_bulk_import_outside_administered_buildings_is_refused(meter, owner):
    other_admin = ResidentFactory(roles=[roles.BUILDING_ADMINISTRATOR])
    AdministratorFactory(building=BuildingFactory(), resident=other_admin)
    with pytest.raises(errors.NotYourBuilding):
        readings_import(
            period=NOV, rows=[ImportedReading(meter.pk, owner.pk, ["101"])], actor=other_admin, today=TODAY
        )
    assert not Reading.objects.exists() and points.balance(owner).balance == 0


def test_bulk_import_keeps_every_rule_of_a_submission(premise, owner, administrator):
    """Tariffs, a recorded rollover, the median jump, an overdue verification and a wrong
    tariff count, through the bulk path's plain rows (no Meter instance per row)."""
    power = MeterFactory(premise=premise, resource="electricity", tariffs=2, initial_value_2=Decimal(50))
    rolled = MeterFactory(premise=premise)
    jumpy = MeterFactory(premise=premise)
    overdue = MeterFactory(premise=premise, verification_due=dt.date(2026, 11, 1))
    for month, value in zip((7, 8, 9, 10), ("101", "102", "103", "104"), strict=True):
        readings_import(
            period=dt.date(2026, month, 1),
            rows=[ImportedReading(jumpy.pk, owner.pk, [value])],
            actor=administrator,
            today=TODAY,
        )
    services_meters.meter_reset_record(meter=rolled, kind="rollover", values=["0"], actor=administrator)
    before = points.balance(owner).balance
    report = readings_import(
        period=NOV,
        rows=[
            ImportedReading(power.pk, owner.pk, ["120", "60"]),
            ImportedReading(rolled.pk, owner.pk, ["3.5"]),
            ImportedReading(jumpy.pk, owner.pk, ["108"]),  # 4 against a median of 1
            ImportedReading(overdue.pk, owner.pk, ["101"]),
            ImportedReading(power.pk, owner.pk, ["121"]),  # one value for two tariffs (after a good row)
            ImportedReading(rolled.pk, owner.pk, ["1,5"]),  # the same meter again
        ],
        actor=administrator,
        today=TODAY,
    )
    assert [(i, code) for i, code, _m in report.errors] == [
        (3, "meter_verification_overdue"),
        (4, "reading_meter_twice"),
        (5, "reading_meter_twice"),
    ]
    assert report.accepted == 3 and report.flagged == 1 and report.points == 30
    stored = {r.meter_id: r for r in Reading.objects.filter(period=NOV)}
    assert set(stored) == {power.pk, rolled.pk, jumpy.pk}
    assert (stored[power.pk].value_1, stored[power.pk].value_2, stored[power.pk].value_3) == (
        Decimal(120),
        Decimal(60),
        None,
    )
    assert stored[power.pk].consumption == Decimal(30)  # (120 - 100) + (60 - 50)
    assert stored[rolled.pk].consumption == Decimal("3.5")  # from the rollover's 0, not from 100
    assert stored[jumpy.pk].flag_reason == "jump_over_median" and stored[jumpy.pk].flagged
    assert all(r.source == "import" and r.submitted_by_id == owner.pk for r in stored.values())
    assert points.balance(owner).balance == before + 30


def test_bulk_reimport_replaces_counts_the_submission_and_awards_nothing(meter, owner, administrator):
    rows = [ImportedReading(meter.pk, owner.pk, ["101"])]
    readings_import(period=NOV, rows=rows, actor=administrator, today=TODAY)
    again = readings_import(
        period=NOV, rows=[ImportedReading(meter.pk, owner.pk, ["103"])], actor=administrator, today=TODAY
    )
    reading = Reading.objects.get(meter=meter, period=NOV)
    assert again.accepted == 1 and again.points == 0
    assert reading.value_1 == Decimal(103) and reading.consumption == Decimal(3) and reading.submissions == 2
    assert points.balance(owner).balance == 10 and ledger_mismatches()[0] == []


def test_a_refused_batch_writes_nothing(meter, owner, administrator):
    report = readings_import(
        period=NOV,
        rows=[ImportedReading(meter.pk, owner.pk, ["99"]), ImportedReading(meter.pk, owner.pk, ["abc"])],
        actor=administrator,
        today=TODAY,
    )
    assert [code for _i, code, _m in report.errors] == ["reading_decreases", "reading_not_numeric"]
    assert not Reading.objects.exists() and not Transfer.objects.exists()
    assert not LedgerAccount.objects.filter(resident=owner).exists()


def test_a_batch_costs_the_same_statements_whatever_its_size(
    premise, owner, administrator, django_assert_num_queries
):
    """Pins the bulk path's constant statement count: reads, one upsert, the ledger's batch."""
    meters = [MeterFactory(premise=premise) for _ in range(12)]

    def run(chosen):
        return readings_import(
            period=NOV,
            rows=[ImportedReading(m.pk, owner.pk, ["101"]) for m in chosen],
            actor=administrator,
            today=TODAY,
        )

    run(meters[:1])  # opens the wallet and the issuance shard once
    with django_assert_num_queries(QUERIES_PER_BATCH):
        assert run(meters[1:2]).accepted == 1
    with django_assert_num_queries(QUERIES_PER_BATCH):
        assert run(meters[2:]).accepted == 10


@pytest.mark.parametrize(
    ("zone", "instant", "city"),
    [
        # 1 April 01:30 in Moscow while UTC is still on 31 March: the city is a day ahead
        ("Europe/Moscow", dt.datetime(2027, 3, 31, 22, 30, tzinfo=dt.UTC), dt.date(2027, 4, 1)),
        # 30 March 18:00 at UTC-12 while UTC is on 31 March: the city is a day behind
        ("Etc/GMT+12", dt.datetime(2027, 3, 31, 6, 0, tzinfo=dt.UTC), dt.date(2027, 3, 30)),
    ],
)
def test_bulk_import_judges_verification_by_the_city_date_not_utc(
    premise, owner, administrator, settings, zone, instant, city
):
    """A meter due "today" is due by the city's calendar, as for a single reading."""
    from gorod.core.time import city_today

    settings.CITY_TIME_ZONE = zone
    with time_machine.travel(instant, tick=False):
        assert city_today() == city
        due = min(city, instant.date())  # overdue by exactly one of the two calendars
        meter = MeterFactory(premise=premise, verification_due=due)
        report = readings_import(
            period=city.replace(day=1),
            rows=[ImportedReading(meter.pk, owner.pk, ["101"])],
            actor=administrator,
        )
    overdue_in_the_city = due < city
    assert [code for _i, code, _m in report.errors] == (
        ["meter_verification_overdue"] if overdue_in_the_city else []
    )
    assert Reading.objects.filter(meter=meter).exists() is not overdue_in_the_city
