"""The meter page's reading window: the form only while a window is open, with its closing day,
otherwise the day the next one opens; and the consumption chart's axes."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django.utils import translation

from gorod.housing.meters import rules, selectors
from gorod.housing.meters import services as meters_services
from gorod.housing.models import ReadingWindow
from gorod.housing.tests.conftest import msk
from gorod.housing.tests.factories import MeterFactory

pytestmark = pytest.mark.django_db


def page(person, meter, language: str) -> str:
    client = Client()
    client.force_login(person)
    client.cookies["django_language"] = language
    # LocaleMiddleware leaves the request's language active in this thread; the override puts
    # the test's own back afterwards so later tests do not read Russian error texts.
    with translation.override(translation.get_language()):
        response = client.get(f"/housing/meters/{meter.pk}/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.mark.parametrize(
    ("day", "start", "end", "expected"),
    [
        (dt.date(2026, 12, 20), 15, 3, (dt.date(2026, 12, 15), dt.date(2027, 1, 3))),
        (dt.date(2027, 1, 2), 15, 3, (dt.date(2026, 12, 15), dt.date(2027, 1, 3))),
        (dt.date(2026, 12, 10), 15, 3, None),
        (dt.date(2026, 2, 26), 15, 26, (dt.date(2026, 2, 15), dt.date(2026, 2, 26))),
        (dt.date(2026, 2, 27), 15, 26, None),
    ],
)
def test_window_around(day, start, end, expected):
    assert rules.window_around(day, start_day=start, end_day=end) == expected


def test_next_opening_runs_into_the_next_year():
    assert rules.next_opening(dt.date(2026, 12, 27), start_day=15) == dt.date(2027, 1, 15)
    assert rules.next_opening(dt.date(2026, 12, 4), start_day=15) == dt.date(2026, 12, 15)


@pytest.mark.parametrize(
    ("language", "closing"),
    [("en", "Submission is open until 3 January 2027 inclusive."), ("ru", "Приём открыт по 3 января 2027")],
)
def test_inside_a_window_the_form_and_its_closing_day(owner, meter, language, closing):
    with time_machine.travel(msk(2026, 12, 20, 12), tick=False):
        html = page(owner, meter, language)
    assert {"en": "Submit a reading", "ru": "Передать показание"}[language] in html
    assert 'name="value_1"' in html
    assert closing in html


@pytest.mark.parametrize(
    ("language", "opening"),
    [
        ("en", "The next submission window opens on 15 December 2026."),
        ("ru", "Следующий приём показаний откроется 15 декабря 2026"),
    ],
)
def test_outside_a_window_no_form_but_the_next_opening(owner, meter, language, opening):
    with time_machine.travel(msk(2026, 12, 5, 12), tick=False):
        html = page(owner, meter, language)
    assert 'name="value_1"' not in html
    assert opening in html


def test_the_buildings_own_window_decides(owner, meter):
    ReadingWindow.objects.create(
        building_id=meter.building_id, resource=meter.resource, start_day=20, end_day=25
    )
    with time_machine.travel(msk(2026, 12, 16, 12), tick=False):
        html = page(owner, meter, "en")
    assert "opens on 20 December 2026" in html


@pytest.mark.parametrize("language", ["en", "ru"])
def test_no_window_scheduled_when_verification_lapses_first(owner, premise, language):
    meter = MeterFactory(premise=premise, verification_due=dt.date(2026, 12, 10))
    assert selectors.window_state(meter, dt.date(2026, 12, 5)).opens_on is None
    with time_machine.travel(msk(2026, 12, 5, 12), tick=False):
        html = page(owner, meter, language)
    assert 'name="value_1"' not in html
    expected = {"en": "no submission window is scheduled", "ru": "приём показаний не запланирован"}
    assert expected[language] in html


def test_chart_has_periods_amounts_and_units(owner, meter):
    for month, value in ((10, "105.000"), (11, "113.500")):
        meters_services.reading_submit(
            meter=meter, resident=owner, values=[value], now=msk(2026, month, 20, 10)
        )
    with time_machine.travel(msk(2026, 12, 5, 12), tick=False):
        html = page(owner, meter, "ru")
    svg = html[html.index("<svg") : html.index("</svg>")]
    # Periods under the bars, amounts on the vertical axis (0, half and the peak), the unit.
    assert "10.26" in svg and "11.26" in svg
    assert ">0<" in svg and ">4,25<" in svg and ">8,5<" in svg  # the Russian decimal comma
    assert "м³" in svg
    assert 'aria-describedby="chart-table"' in svg and 'id="chart-table"' in html
