"""/api/v1/problems/reports/{id}/answers and /history: what the report's page shows of its
course, for apps (published answers; each transition with its time, never who made it)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema

from gorod.accounts.auth import public_or_signed_in
from gorod.problems import permissions, selectors
from gorod.problems.errors import ReportNotFound
from gorod.problems.models import Report


class PublishedAnswerOut(Schema):
    id: int
    organisation: str
    text: str
    round: int
    in_time: bool
    given_at: dt.datetime


class ReportEventOut(Schema):
    action: str
    from_status: str
    to_status: str
    at: dt.datetime


def _visible(request: HttpRequest, report_id: int) -> Report:
    report = selectors.report_detail(report_id)
    if report is None or not permissions.may_view(request.user, report):
        raise ReportNotFound()
    return report


def get_answers(request: HttpRequest, report_id: int) -> list[PublishedAnswerOut]:
    report = _visible(request, report_id)
    return [
        PublishedAnswerOut(
            id=answer.pk,
            organisation=answer.organisation.name,
            text=answer.text,
            round=answer.round,
            in_time=answer.in_time,
            given_at=answer.created_at,
        )
        for answer in selectors.published_answers(report)
    ]


def get_history(request: HttpRequest, report_id: int) -> list[ReportEventOut]:
    report = _visible(request, report_id)
    return [
        ReportEventOut(action=e.action, from_status=e.from_status, to_status=e.to_status, at=e.created_at)
        for e in selectors.report_events(report)
    ]


def mount(router: Router) -> None:
    """On the problems router itself: ``/answers`` shares its path with the responders' POST."""
    router.get(
        "/reports/{report_id}/answers",
        response={200: list[PublishedAnswerOut], 404: dict},
        auth=public_or_signed_in,
        summary="The report's published answers, oldest first",
    )(get_answers)
    router.get(
        "/reports/{report_id}/history",
        response={200: list[ReportEventOut], 404: dict},
        auth=public_or_signed_in,
        summary="The report's course: every transition and when (not who)",
    )(get_history)
