"""Permission matrix of Our City: responders of organisation A and B against a report routed to A."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from gorod.accounts.tests.factories import DistrictFactory
from gorod.problems import services, services_answers
from gorod.problems.models import Answer, Report, ReportStatus
from gorod.problems.tests.conftest import INSIDE, TEST_BOX
from gorod.problems.tests.factories import TopicFactory
from tests.permissions.conftest import ROLES, Cast, as_expected, nothing_written

pytestmark = pytest.mark.django_db

MODERATORS = frozenset({"moderator", "operator", "admin"})
EXPECTED: dict[str, frozenset[str]] = {
    "queue_lists_the_report": frozenset({"responder_a"}),
    "open_answer_form": frozenset({"responder_a"}),
    "answer_on_the_site": frozenset({"responder_a"}),
    "answer_through_the_api": frozenset({"responder_a"}),
    "reroute": frozenset({"operator", "admin"}),
    "moderation_queue": MODERATORS,
    "accept_report": MODERATORS,
    "approve_answer": MODERATORS,
    "read_report_in_moderation": frozenset({"resident"}) | MODERATORS,
    "read_report_in_moderation_api": frozenset({"resident"}) | MODERATORS,
    "read_unapproved_answer": frozenset({"resident"}) | MODERATORS,
}
WRITES = {"answer_on_the_site", "answer_through_the_api", "reroute", "accept_report", "approve_answer"}
ANSWER_TEXT = "We repaired the bench and painted it green today."


@pytest.fixture
def world(cast: Cast, settings: Any) -> dict[str, Any]:
    settings.PROBLEMS_DAILY_REPORT_LIMIT = 1000  # one author files a report per attempt
    district = DistrictFactory(code="perm-box", boundary=TEST_BOX)
    topic = TopicFactory(code="perm-bench")
    cast.organisation_a.topics.add(topic)
    cast.organisation_a.districts.add(district)
    author = cast.user("resident")

    def report(status: str) -> Report:
        filed = services.report_file(
            author=author,
            topic_code=topic.code,
            latitude=INSIDE[0],
            longitude=INSIDE[1],
            text="The bench by the gate of house 5 is broken in two.",
        )
        if status == "moderation":
            return filed
        services.report_accept(
            report_id=filed.pk, moderator=cast.user("moderator"), organisation_id=cast.organisation_a.pk
        )
        if status == "answer_moderation":
            services_answers.answer_submit(
                report_id=filed.pk, responder=cast.user("responder_a"), text=ANSWER_TEXT
            )
        return Report.objects.get(pk=filed.pk)

    return {"report": report, "organisation_b": cast.organisation_b}


def attempts(world: dict[str, Any]) -> dict[str, Callable[[Client], bool]]:
    make = world["report"]

    def queue(client: Client) -> bool:
        report = make("in_work")
        response = client.get("/problems/queue/")
        return response.status_code == 200 and f"/problems/queue/{report.pk}/".encode() in response.content

    def answer_site(client: Client) -> bool:
        report = make("in_work")
        client.post(f"/problems/queue/{report.pk}/", {"text": ANSWER_TEXT})
        return Answer.objects.filter(report=report).exists()

    def answer_api(client: Client) -> bool:
        report = make("in_work")
        return (
            client.post(f"/api/v1/problems/reports/{report.pk}/answers", {"text": ANSWER_TEXT}).status_code
            == 201
        )

    def reroute(client: Client) -> bool:
        report = make("in_work")
        client.post(
            f"/problems/{report.pk}/reroute/",
            {"organisation": str(world["organisation_b"].pk), "reason": "Their street"},
        )
        return Report.objects.get(pk=report.pk).organisation_id == world["organisation_b"].pk

    def accept(client: Client) -> bool:
        report = make("moderation")
        client.post(f"/problems/moderation/reports/{report.pk}/", {"decision": "accept"})
        return Report.objects.get(pk=report.pk).status == ReportStatus.IN_WORK

    def approve(client: Client) -> bool:
        report = make("answer_moderation")
        answer = Answer.objects.get(report=report)
        client.post(f"/problems/moderation/answers/{answer.pk}/", {"decision": "approve"})
        return Answer.objects.get(pk=answer.pk).status == "approved"

    def read_private(client: Client) -> bool:
        return client.get(f"/problems/{make('moderation').pk}/").status_code == 200

    def read_private_api(client: Client) -> bool:
        return client.get(f"/api/v1/problems/reports/{make('moderation').pk}").status_code == 200

    def read_unapproved_answer(client: Client) -> bool:
        response = client.get(f"/problems/{make('answer_moderation').pk}/")
        return response.status_code == 200 and ANSWER_TEXT.encode() in response.content

    return {
        "queue_lists_the_report": queue,
        "open_answer_form": lambda c: c.get(f"/problems/queue/{make('in_work').pk}/").status_code == 200,
        "answer_on_the_site": answer_site,
        "answer_through_the_api": answer_api,
        "reroute": reroute,
        "moderation_queue": lambda c: c.get("/problems/moderation/").status_code == 200,
        "accept_report": accept,
        "approve_answer": approve,
        "read_report_in_moderation": read_private,
        "read_report_in_moderation_api": read_private_api,
        "read_unapproved_answer": read_unapproved_answer,
    }


@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_permission_matrix(cast, world, action):
    attempt = attempts(world)[action]
    results = {}
    for role in ROLES:
        if action in WRITES and role not in EXPECTED[action]:
            # The report is made before the refused request, so only the request is measured.
            make = world["report"]
            status = {"accept_report": "moderation", "approve_answer": "answer_moderation"}.get(
                action, "in_work"
            )
            report = make(status)
            world_once = {**world, "report": lambda _status, report=report: report}
            with nothing_written():
                results[role] = attempts(world_once)[action](cast.client(role))
            refreshed = Report.objects.get(pk=report.pk)
            assert (refreshed.status, refreshed.organisation_id) == (report.status, report.organisation_id)
        else:
            results[role] = attempt(cast.client(role))
    as_expected(results, EXPECTED[action])
