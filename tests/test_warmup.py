"""The worker warm-up loads the views, catalogues and templates and touches no database."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from config import warmup


@pytest.mark.django_db
def test_warm_up_compiles_every_project_template_without_a_query(caplog):
    names = warmup._template_names()
    assert "web/home.html" in names and len(names) > 50
    assert not any(n == "admin/base.html" for n in names)  # libraries' templates are not ours
    with CaptureQueriesContext(connection) as queries, caplog.at_level("INFO", logger="gorod.warmup"):
        warmup.warm_up()
    assert queries.captured_queries == []
    record = next(r for r in caplog.records if r.name == "gorod.warmup")
    assert record.templates == len(names)
