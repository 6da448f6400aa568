from __future__ import annotations

import pytest

from gorod.accounts import demo as accounts_demo
from gorod.problems import demo
from gorod.problems.models import Report, Topic

pytestmark = pytest.mark.django_db


def test_demo_has_reports_in_every_state_and_is_idempotent():
    accounts_demo.seed()
    demo.seed()
    demo.seed()
    assert Report.objects.count() == len(demo.REPORTS)
    statuses = set(Report.objects.values_list("status", flat=True))
    assert {
        "moderation",
        "rejected",
        "in_work",
        "answer_moderation",
        "answered",
        "closed",
        "escalated",
    } <= statuses
    assert Report.objects.filter(overdue=True).exists()
    assert Report.objects.filter(reopen_count=1, status="in_work").exists()
    assert {"winter", "summer", "all_year"} <= set(Topic.objects.values_list("season", flat=True))
