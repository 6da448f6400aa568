"""Real threads against PostgreSQL: the database, not Python, keeps the rules."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from conftest import postgres_only
from gorod.accounts import roles
from gorod.accounts.tests.factories import DistrictFactory, ResidentFactory
from gorod.core.errors import DomainError
from gorod.points.models import Transfer
from gorod.problems import services
from gorod.problems.models import Report, ReportEvent
from gorod.problems.tests.conftest import INSIDE, TEST_BOX, TEXT, restore_ledger_data
from gorod.problems.tests.factories import OrganisationFactory, TopicFactory

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]


def race(workers: list[Callable[[], Any]]) -> list[Any]:
    barrier = threading.Barrier(len(workers))
    results: list[Any] = [None] * len(workers)

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = workers[index]()
        except DomainError as refusal:
            results[index] = refusal
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(workers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.fixture
def city() -> dict[str, Any]:
    restore_ledger_data()
    district = DistrictFactory(code="test-district", boundary=TEST_BOX)
    topic = TopicFactory(code="bench-broken")
    organisation = OrganisationFactory()
    organisation.topics.add(topic)
    organisation.districts.add(district)
    return {"district": district, "topic": topic}


def test_two_moderators_accepting_at_once_accept_once(city):
    author = ResidentFactory(level="full", home_district=city["district"])
    report = services.report_file(
        author=author, topic_code="bench-broken", latitude=INSIDE[0], longitude=INSIDE[1], text=TEXT
    )
    moderators = [ResidentFactory(roles=[roles.MODERATOR]) for _ in range(4)]
    results = race([lambda m=m: services.report_accept(report_id=report.pk, moderator=m) for m in moderators])
    assert sum(isinstance(r, Report) for r in results) == 1
    assert all(
        getattr(r, "code", "illegal_transition") == "illegal_transition"
        for r in results
        if not isinstance(r, Report)
    )
    assert ReportEvent.objects.filter(report=report, action="accept").count() == 1
    assert Transfer.objects.filter(source_key=f"problems:report:{report.pk}").count() == 1


def test_daily_limit_holds_under_concurrent_filing(city, settings):
    settings.PROBLEMS_DAILY_REPORT_LIMIT = 3
    author = ResidentFactory(level="full", home_district=city["district"])
    results = race(
        [
            lambda: services.report_file(
                author=author, topic_code="bench-broken", latitude=INSIDE[0], longitude=INSIDE[1], text=TEXT
            )
            for _ in range(6)
        ]
    )
    assert sum(isinstance(r, Report) for r in results) == 3
    assert Report.objects.filter(author=author).count() == 3
