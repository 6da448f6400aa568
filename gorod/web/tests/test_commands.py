from __future__ import annotations

import pytest
from django.core.management import call_command

from gorod.core.schedules import all_jobs

pytestmark = pytest.mark.django_db


def test_every_app_schedule_is_found_and_runs_twice_safely():
    names = [job.name for job in all_jobs()]
    assert "points.holds_expire" in names
    call_command("run_schedules")
    call_command("run_schedules")


def test_seed_demo_is_idempotent():
    from gorod.accounts.models import Resident
    from gorod.points.checks import ledger_mismatches
    from gorod.points.models import Transfer

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    residents, transfers = Resident.objects.count(), Transfer.objects.count()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (Resident.objects.count(), Transfer.objects.count()) == (residents, transfers)
    mismatches, total = ledger_mismatches()
    assert mismatches == [] and total == 0
