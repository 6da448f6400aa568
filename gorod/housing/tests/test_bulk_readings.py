from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from gorod.accounts import roles
from gorod.accounts.tests.factories import ResidentFactory
from gorod.housing import errors
from gorod.housing.models import Reading
from gorod.housing.services_bulk import ImportedReading, readings_import
from gorod.housing.tests.factories import AdministratorFactory, BuildingFactory, MeterFactory
from gorod.points import selectors as points
from gorod.points.checks import ledger_mismatches

pytestmark = pytest.mark.django_db
NOV = dt.date(2026, 11, 1)
TODAY = dt.date(2026, 11, 20)


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
        (5, "invalid_input"),
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
