"""The test run's clock: every run of the suite happens at one instant of city time, chosen at
random (or set with GOROD_TEST_NOW to repeat a run), so a rule that only holds on some days of
the month fails on the day it is written, not weeks later when CI happens to hit that day.

The root conftest starts ``time_machine.travel(instant, tick=True)`` for the whole session in
the controller and in every xdist worker (the controller exports the instant before workers
start). A test whose result depends on the date freezes the clock itself on top of it.

Run as a script, this file starts a Python program in a subprocess at the test clock:
``python tests/clock.py <ISO instant> manage.py seed_demo`` or ``... <ISO instant> -m gunicorn ...``
(see ``clocked``); gunicorn's forked workers inherit the clock.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import runpy
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

ENV = "GOROD_TEST_NOW"
ROOT = Path(__file__).resolve().parents[1]
# A window around today's releases: dates before and after the real one, leap day included.
FIRST_DAY = dt.date(2026, 1, 1)
LAST_DAY = dt.date(2028, 12, 31)


def city_zone() -> ZoneInfo:
    # Read before Django's settings are: the same variable config/settings.py reads.
    return ZoneInfo(os.environ.get("GOROD_CITY_TIME_ZONE", "Europe/Moscow"))


def parse(text: str) -> dt.datetime:
    """An aware instant from ISO text; a naive time or a bare date is city time (a date: noon)."""
    text = text.strip()
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise SystemExit(f"{ENV}={text!r} is not an ISO date or datetime (e.g. 2027-12-31T23:30)") from None
    if len(text) == 10:
        moment = moment.replace(hour=12)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=city_zone())
    return moment


def _awkward_days(rng: random.Random) -> list[dt.date]:
    """Days where calendar code tends to break: month and year boundaries, the leap day, public
    holidays (the Russian production calendar)."""
    import holidays

    days = [dt.date(y, 12, 31) for y in (2026, 2027, 2028)] + [dt.date(y, 1, 1) for y in (2027, 2028)]
    days.append(dt.date(2028, 2, 29))
    year, month = rng.randrange(FIRST_DAY.year, LAST_DAY.year + 1), rng.randrange(1, 13)
    first = dt.date(year, month, 1)
    days += [first, (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)]
    days += holidays.country_holidays("RU", years=year).keys()
    return [d for d in days if FIRST_DAY <= d <= LAST_DAY]


def choose(rng: random.Random) -> dt.datetime:
    """A random instant of city time: half the time an awkward day (else any day), half the time
    an awkward hour (the three hours either side of city midnight, when the city's date and the
    UTC date differ in zones east of UTC such as Moscow's), else any second of the day."""
    if rng.random() < 0.5:
        day = rng.choice(_awkward_days(rng))
    else:
        day = FIRST_DAY + dt.timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days + 1))
    if rng.random() < 0.5:
        second = rng.choice([rng.randrange(0, 3 * 3600), rng.randrange(21 * 3600, 24 * 3600)])
    else:
        second = rng.randrange(24 * 3600)
    local = dt.datetime.combine(day, dt.time.min) + dt.timedelta(seconds=second)
    return local.replace(tzinfo=city_zone())


def session_instant() -> dt.datetime:
    """The run's instant: GOROD_TEST_NOW if set, else a random one, exported so that xdist
    workers (started after this, with this environment) and subprocesses use the same one."""
    text = os.environ.get(ENV)
    if not text:
        text = choose(random.SystemRandom()).isoformat()
        os.environ[ENV] = text
    return parse(text)


def describe(moment: dt.datetime) -> str:
    city = moment.astimezone(city_zone())
    utc = moment.astimezone(dt.UTC)
    return (
        f"{ENV}={city.isoformat()} (city date {city:%A %d %B %Y}, UTC {utc:%Y-%m-%d %H:%M}); "
        f"export it to run at the same instant"
    )


def clocked(argv: list[str]) -> list[str]:
    """The command running a Python script (or ``-m module``) in a subprocess at the test clock's
    current instant, ticking from there like the test process's clock."""
    now = dt.datetime.now(dt.UTC).isoformat()
    return [sys.executable, str(ROOT / "tests" / "clock.py"), now, *argv]


def _run_clocked() -> None:
    import time_machine

    moment, *argv = sys.argv[1:]
    time_machine.travel(dt.datetime.fromisoformat(moment), tick=True).start()
    if argv[0] == "-m":
        sys.argv = argv[1:]
        sys.path[0] = os.getcwd()
        runpy.run_module(argv[1], run_name="__main__", alter_sys=True)
    else:
        sys.argv = argv
        sys.path[0] = str(Path(argv[0]).resolve().parent)
        runpy.run_path(argv[0], run_name="__main__")


if __name__ == "__main__":
    _run_clocked()
