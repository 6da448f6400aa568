"""The suite runs at the instant printed in its header (GOROD_TEST_NOW), in every xdist worker and
in the subprocesses tests start through tests.clock.clocked."""

from __future__ import annotations

import datetime as dt
import os
import subprocess

import time_machine
from django.utils import timezone

from tests import clock


def _started() -> dt.datetime:
    return clock.parse(os.environ[clock.ENV])


def test_this_process_runs_at_the_printed_instant():
    # Ticking from the instant the run chose; a worker with an instant of its own would be off by
    # days, not by the minutes a run lasts.
    elapsed = timezone.now() - _started()
    assert dt.timedelta(0) <= elapsed < dt.timedelta(hours=1)


def test_a_clocked_subprocess_runs_at_the_test_clock(tmp_path):
    script = tmp_path / "now.py"
    script.write_text("import datetime as dt\nprint(dt.datetime.now(dt.UTC).isoformat())\n")
    before = timezone.now()
    out = subprocess.run(clock.clocked([str(script)]), capture_output=True, text=True, check=True, timeout=60)
    elapsed = dt.datetime.fromisoformat(out.stdout.strip()) - before
    assert dt.timedelta(0) <= elapsed < dt.timedelta(minutes=1)


def test_a_frozen_test_still_sees_its_own_date():
    with time_machine.travel(dt.datetime(2027, 12, 31, 23, 30, tzinfo=clock.city_zone()), tick=False):
        assert timezone.localdate(timezone=clock.city_zone()) == dt.date(2027, 12, 31)
    assert timezone.now() - _started() >= dt.timedelta(0)


def test_naive_text_is_city_time_and_a_bare_date_is_its_noon():
    assert clock.parse("2028-02-29T23:30") == dt.datetime(2028, 2, 29, 20, 30, tzinfo=dt.UTC)
    assert clock.parse("2028-02-29") == dt.datetime(2028, 2, 29, 9, 0, tzinfo=dt.UTC)
    assert clock.parse("2027-01-01T00:10:00+00:00") == dt.datetime(2027, 1, 1, 0, 10, tzinfo=dt.UTC)
