"""The demo city leaves meter readings to submit on whatever date it is seeded: a newcomer on
5 December (between the Moscow windows) once found every reading refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from gorod.accounts.models import Resident
from gorod.housing.demo import window_open_on
from gorod.housing.meters import rules as meters_rules
from gorod.housing.meters.rules import reading_source_key
from gorod.housing.models import Meter, Reading, ReadingWindow
from gorod.housing.tests.conftest import msk
from gorod.points.models import Transfer

# In the order a demo database lives through them: seeded on the first, seeded again on each.
DATES = [
    msk(2026, 12, 5, 10, 0),  # the newcomer's day: no Moscow window open
    msk(2026, 12, 14, 23, 59),  # the last day before the windows open
    msk(2026, 12, 31, 23, 30),  # electricity closed, water open; New Year's Eve
    msk(2027, 1, 1, 0, 30),  # city date a day ahead of UTC's; water reads for December
    msk(2027, 1, 27, 18, 0),  # electricity's window just closed
    msk(2028, 2, 29, 12, 0),  # the leap day: past the last day a window can name
]


@pytest.mark.parametrize("window", [(15, 3), (15, 26), (1, 1), (20, 25), (2, 1)])
def test_the_demo_window_is_open_on_every_day_of_the_month(window):
    for day in [dt.date(2027, 1, d) for d in range(1, 32)] + [dt.date(2028, 2, 29), dt.date(2027, 2, 28)]:
        start_day, end_day = window_open_on(day, *window)
        assert 1 <= start_day <= 28 and 1 <= end_day <= 28
        assert meters_rules.reading_period(day, start_day=start_day, end_day=end_day) is not None, day
        if meters_rules.reading_period(day, start_day=window[0], end_day=window[1]) is not None:
            assert (start_day, end_day) == window  # an open window is left as the operator set it


@pytest.mark.django_db
def test_the_demo_resident_submits_readings_on_any_seed_date(client):
    for moment in DATES:
        with time_machine.travel(moment, tick=False):
            call_command("seed_demo", verbosity=0)
            assert ReadingWindow.objects.count() == len(
                meters_rules.DEFAULT_WINDOWS
            )  # rows moved, none added
            anna = Resident.objects.get(username="anna")
            client.force_login(anna)
            home = client.get(reverse("web:home")).content.decode()
            assert "Meter readings are open now: " in home
            for meter in Meter.objects.filter(premise__number="5").order_by("resource"):
                last = Reading.objects.filter(meter=meter).order_by("-period", "-submitted_at").first()
                values = [last.value_1 + 4, (last.value_2 or 0) + 1][: meter.tariffs]
                form = {f"value_{i}": str(v) for i, v in enumerate(values, start=1)}
                response = client.post(reverse("housing:meter", args=[meter.pk]), form)
                assert response.status_code == 302, (moment, meter.resource, response.content.decode()[-800:])
                reading = Reading.objects.get(meter=meter, submitted_by=anna, submitted_at=moment)
                assert reading.values() == [Decimal(v) for v in values]
                # points once per meter and period (a resubmission in the window earns none)
                key = reading_source_key(meter.pk, reading.period)
                assert Transfer.objects.filter(source_key=key, credit__resident=anna).count() == 1
