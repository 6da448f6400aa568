"""What Our City tells people, through the notification centre (inside the caller's transaction;
e-mails go after commit). One event key per report event, so a replay notifies nobody twice."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_noop

from gorod.core.messages import Message
from gorod.notifications import services as notifications
from gorod.problems.models import Follower, OrganisationResponder, Report

KIND = "problems"


def _url(report: Report) -> str:
    return reverse("problems:detail", args=[report.pk])


def report_accepted(report: Report) -> None:
    notifications.notify(
        resident_ids=[report.author_id],
        kind=KIND,
        event_key=f"problems:accepted:{report.pk}",
        title=Message(gettext_noop("Your report #%(id)s was accepted"), id=report.pk),
        body=Message(
            gettext_noop("It was sent to %(organisation)s; the answer is due by %(deadline)s."),
            organisation=report.organisation.name if report.organisation else "",
            deadline=report.deadline,
        ),
        url=_url(report),
    )
    routed_to_responders(report, round_key="accepted")


def report_rejected(report: Report) -> None:
    notifications.notify(
        resident_ids=[report.author_id],
        kind=KIND,
        event_key=f"problems:rejected:{report.pk}",
        title=Message(gettext_noop("Your report #%(id)s was rejected"), id=report.pk),
        body=report.reject_reason,
        url=_url(report),
    )


def routed_to_responders(report: Report, *, round_key: str) -> None:
    if report.organisation_id is None:
        return
    responder_ids = OrganisationResponder.objects.filter(organisation_id=report.organisation_id).values_list(
        "resident_id", flat=True
    )
    notifications.notify(
        resident_ids=list(responder_ids),
        kind=KIND,
        event_key=f"problems:routed:{report.pk}:{round_key}:{report.organisation_id}",
        title=Message(
            gettext_noop("Report #%(id)s to answer by %(deadline)s"), id=report.pk, deadline=report.deadline
        ),
        url=reverse("problems:answer", args=[report.pk]),
    )


def answer_published(report: Report, answer_id: int) -> None:
    followers = Follower.objects.filter(report=report).values_list("resident_id", flat=True)
    notifications.notify(
        resident_ids=[report.author_id, *followers],
        kind=KIND,
        event_key=f"problems:answered:{answer_id}",
        title=Message(gettext_noop("Report #%(id)s has an answer: please rate it"), id=report.pk),
        url=_url(report),
    )
