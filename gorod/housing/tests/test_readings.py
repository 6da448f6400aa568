from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.utils import translation

from gorod.accounts.tests.factories import ResidentFactory
from gorod.housing import errors
from gorod.housing.meters import rules as meters_rules
from gorod.housing.meters import services
from gorod.housing.models import Reading, ReadingWindow
from gorod.housing.tests.conftest import msk
from gorod.housing.tests.factories import LinkFactory, MeterFactory
from gorod.points import selectors as points
from gorod.points.models import Transfer

pytestmark = pytest.mark.django_db

NOV = dt.date(2026, 11, 1)


def submit(meter, resident, values, when=None):
    return services.reading_submit(
        meter=meter, resident=resident, values=values, now=when or msk(2026, 11, 20, 10)
    )


def test_reading_accepted_with_points_once_per_period(meter, owner):
    reading = submit(meter, owner, ["112.5"])
    assert reading.period == NOV and reading.consumption == Decimal("12.500")
    assert points.balance(owner).balance == 10
    again = submit(meter, owner, ["113"], msk(2026, 11, 25))
    assert again.pk == reading.pk and again.value_1 == Decimal("113.000") and again.submissions == 2
    assert Reading.objects.filter(meter=meter).count() == 1
    assert points.balance(owner).balance == 10
    assert Transfer.objects.filter(source_key=f"reading:{meter.pk}:2026-11").count() == 1


@pytest.mark.parametrize(
    ("day", "period"),
    [
        (msk(2026, 11, 15, 0, 1), dt.date(2026, 11, 1)),
        (msk(2026, 12, 3, 23, 59), dt.date(2026, 11, 1)),
        (msk(2026, 12, 31, 12), dt.date(2026, 12, 1)),
    ],
)
def test_water_window_runs_into_next_month_in_moscow_time(meter, owner, day, period):
    assert submit(meter, owner, ["101"], day).period == period


@pytest.mark.parametrize(
    "when",
    [msk(2026, 11, 14, 23, 59), msk(2026, 12, 4, 0, 0), dt.datetime(2026, 12, 3, 21, 30, tzinfo=dt.UTC)],
)
def test_outside_water_window_is_refused(meter, owner, when):
    with pytest.raises(errors.ReadingOutsideWindow):
        submit(meter, owner, ["101"], when)
    assert not Reading.objects.exists() and points.balance(owner).balance == 0


def test_electricity_window_and_tariffs(premise, owner):
    meter = MeterFactory(
        premise=premise, resource="electricity", tariffs=2, initial_value_1=0, initial_value_2=0
    )
    with pytest.raises(errors.ReadingOutsideWindow):
        submit(meter, owner, ["10", "5"], msk(2026, 11, 27))
    with pytest.raises(errors.ReadingTariffCount):
        submit(meter, owner, ["10"])
    with pytest.raises(errors.ReadingPrecision):
        submit(meter, owner, ["10.5", "5"])
    assert submit(meter, owner, ["10", "5.000"]).values() == [Decimal(10), Decimal(5)]


def test_operator_window_change_applies(meter, owner):
    ReadingWindow.objects.filter(resource="cold_water").update(start_day=20, end_day=25)
    with pytest.raises(errors.ReadingOutsideWindow):
        submit(meter, owner, ["101"], msk(2026, 11, 19))


@pytest.mark.parametrize(
    ("values", "error"),
    [
        (["abc"], errors.ReadingNotNumeric),
        (["1e3"], errors.ReadingNotNumeric),
        (["-1"], errors.ReadingNegative),
        (["99.5"], errors.ReadingDecreases),
        (["100.0001"], errors.ReadingPrecision),
        (["100000"], errors.ReadingTooLong),
        (["101", "102"], errors.ReadingTariffCount),
    ],
)
def test_bad_values_are_refused_and_nothing_written(meter, owner, values, error):
    with pytest.raises(error):
        submit(meter, owner, values)
    assert not Reading.objects.exists() and points.balance(owner).balance == 0


def test_someone_elses_meter_is_refused(meter):
    stranger = ResidentFactory()
    with pytest.raises(errors.NotYourMeter):
        submit(meter, stranger, ["101"])
    pending = ResidentFactory()
    LinkFactory(resident=pending, premise=meter.premise, status="pending")
    with pytest.raises(errors.NotYourMeter):
        submit(meter, pending, ["101"])
    assert not Reading.objects.exists()


def test_archived_and_overdue_meters_refuse_with_reason(premise, owner):
    archived = MeterFactory(premise=premise, archived_on=dt.date(2026, 10, 1))
    overdue = MeterFactory(premise=premise, verification_due=dt.date(2026, 11, 1))
    with pytest.raises(errors.MeterArchived):
        submit(archived, owner, ["101"])
    with pytest.raises(errors.MeterVerificationOverdue) as caught:
        submit(overdue, owner, ["101"])
    assert "average" in caught.value.text
    assert not Reading.objects.exists() and points.balance(owner).balance == 0


def test_lower_reading_allowed_after_recorded_rollover(meter, owner, administrator):
    submit(meter, owner, ["150"], msk(2026, 10, 20))
    with pytest.raises(errors.ReadingDecreases):
        submit(meter, owner, ["3"])
    # recorded between October's reading and November's (it is stamped with the clock's now)
    with time_machine.travel(msk(2026, 11, 1, 12), tick=False):
        services.meter_reset_record(meter=meter, kind="rollover", values=["0"], actor=administrator)
    reading = submit(meter, owner, ["3"])
    assert reading.consumption == Decimal(3)


def test_resubmission_compares_with_previous_period_not_itself(meter, owner):
    submit(meter, owner, ["110"], msk(2026, 10, 20))
    submit(meter, owner, ["120"])
    assert submit(meter, owner, ["115"], msk(2026, 11, 21)).value_1 == Decimal(115)


def test_suspicious_jump_is_accepted_but_flagged(meter, owner):
    value = 100
    for month in (7, 8, 9, 10):
        value += 5
        submit(meter, owner, [str(value)], msk(2026, month, 20))
    reading = submit(meter, owner, [str(value + 16)])
    assert reading.flagged and reading.flag_reason == "jump_over_median"
    assert points.balance(owner).balance == 50
    normal = submit(meter, owner, [str(value + 6)], msk(2026, 11, 21))
    assert not normal.flagged


def test_over_ceiling_flag_without_history(meter, owner):
    assert submit(meter, owner, ["140"]).flag_reason == "over_ceiling"


def test_full_account_earns_twenty_simplified_none(meter, premise):
    full = ResidentFactory(level="full")
    simple = ResidentFactory(level="simplified")
    for person in (full, simple):
        LinkFactory(resident=person, premise=premise, role="tenant")
    submit(meter, full, ["101"])
    other = MeterFactory(premise=premise)
    submit(other, simple, ["101"])
    assert (points.balance(full).balance, points.balance(simple).balance) == (20, 0)


def test_period_rule_for_same_month_window():
    assert meters_rules.reading_period(dt.date(2026, 2, 26), start_day=15, end_day=26) == dt.date(2026, 2, 1)
    assert meters_rules.reading_period(dt.date(2026, 1, 2), start_day=15, end_day=3) == dt.date(2025, 12, 1)
    assert meters_rules.reading_period(dt.date(2026, 1, 10), start_day=15, end_day=3) is None


def test_lower_reading_refusal_writes_the_last_reading_as_the_page_does(meter, owner):
    """The refusal said «меньше последнего принятого (112.5)» under a table of «112,5»."""
    submit(meter, owner, ["112.5"])
    with pytest.raises(errors.ReadingDecreases) as refusal:
        submit(meter, owner, ["112"], msk(2026, 12, 20, 10))
    with translation.override("ru"):
        assert "(112,5)" in refusal.value.text
    with translation.override("en"):
        assert "(112.5)" in refusal.value.text
    assert refusal.value.as_dict()["details"]["last"] == "112.5"  # programs keep plain digits
