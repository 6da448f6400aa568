"""The open data decisions carry each decision's progress in per cent (issue 22)."""

from __future__ import annotations

import pytest

from gorod.accounts.tests.factories import ResidentFactory
from gorod.opendata.datasets import DATASETS, decision_rows
from gorod.voting.decisions.services import decision_progress_set, decision_record

pytestmark = pytest.mark.django_db


def test_decisions_dataset_has_the_progress():
    operator = ResidentFactory(level="full", roles=["operator"], is_staff=True)
    decision = decision_record(title="A new park", organisation="Parks dept", actor=operator)
    decision_progress_set(decision_id=decision.pk, percent=45, actor=operator, note="Trees planted")
    assert [row["progress_percent"] for row in decision_rows()] == [45]
    fields = next(d for d in DATASETS if d.name == "decisions").fields
    assert "progress_percent" in [f.name for f in fields]
