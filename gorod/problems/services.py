"""Writes of Our City: filing, moderation, routing, following. Answers and ratings are in
``services_answers.py``. Every business action is one durable transaction; a state change is a
guarded UPDATE on the status the caller saw, so concurrent moderators cannot both act."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from gorod.accounts import permissions as account_permissions
from gorod.accounts import rights as account_rights
from gorod.accounts.models import Address, Resident
from gorod.accounts.selectors import district_at
from gorod.accounts.services import audit_record
from gorod.core import images
from gorod.core import time as city_time
from gorod.core.messages import Message
from gorod.points import services as points_services
from gorod.problems import notices, permissions, photos, rules, selectors
from gorod.problems.errors import (
    AlreadyFollowing,
    CannotFollow,
    DailyLimitReached,
    IllegalTransition,
    LevelTooLow,
    NoOrganisation,
    NotModerator,
    NotOperator,
    OutsideCity,
    PlaceMissing,
    ReasonRequired,
    ReportNotFound,
)
from gorod.problems.models import (
    Follower,
    Organisation,
    Report,
    ReportEvent,
    ReportSource,
    ReportStatus,
)

PROGRAMME = "our_city"


def _coordinate(value: Any, field: str, limit: int) -> Decimal:
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError, TypeError):
        raise OutsideCity(field=field) from None
    if not number.is_finite() or abs(number) > limit:
        raise OutsideCity(field=field)
    return number


def _record(
    report: Report, action: str, before: str, after: str, actor: Resident | None, note: str = ""
) -> None:
    ReportEvent.objects.create(
        report=report, action=action, from_status=before, to_status=after, actor=actor, note=note[:500]
    )


def transition(
    report: Report, action: str, *, actor: Resident | None, note: str = "", **fields: Any
) -> Report:
    """Move a report by ``action`` from the status it had when read; refuse if it moved since."""
    before = report.status
    after = rules.next_status(before, action)
    updated = Report.objects.filter(pk=report.pk, status=before).update(status=after, **fields)
    if not updated:
        current = Report.objects.filter(pk=report.pk).values_list("status", flat=True).first()
        raise IllegalTransition(status=current or before, action=action)
    for name, value in fields.items():
        setattr(report, name, value)
    report.status = after
    _record(report, action, before, after, actor, note)
    return report


def report_file(
    *,
    author: Resident,
    topic_code: str,
    text: str,
    latitude: Any = None,
    longitude: Any = None,
    photo_uploads: list[Any] | None = None,
    building_id: int | None = None,
    address_text: str = "",
    source: str = ReportSource.SITE,
) -> Report:
    """File a report: checks everything first, then stores the report and its photos at once."""
    if not account_rights.allows(author.level, account_rights.PROBLEM_REPORT):
        raise LevelTooLow()
    today = city_time.city_today()
    topic = selectors.topic_for_filing(topic_code=topic_code, today=today)
    building = None
    if building_id is not None:
        building = Address.objects.select_related("district").filter(pk=building_id).first()
        if building is None:
            raise OutsideCity(field="building")
    if building is not None and latitude in (None, "") and longitude in (None, ""):
        # The place chosen from the city's address register: its coordinates are the register's.
        latitude, longitude = building.latitude, building.longitude
    if latitude in (None, "") or longitude in (None, ""):
        raise PlaceMissing(field="location")
    lat = _coordinate(latitude, "latitude", 90)
    lon = _coordinate(longitude, "longitude", 180)
    district = district_at(float(lat), float(lon))  # coordinates, not amounts
    if district is None and building is not None:
        district = building.district  # a register address outside the drawn boundaries
    if district is None:
        raise OutsideCity(field="location")
    clean_text = rules.clean_text(text)
    checked = photos.check_photos(list(photo_uploads or []), required=topic.photo_required)
    with images.kept_only_if_committed() as written, transaction.atomic(durable=True):
        # One lock on the author's row serialises their filings, so the daily limit holds.
        Resident.objects.select_for_update().filter(pk=author.pk).first()
        since = city_time.city_midnight(today)
        filed_today = Report.objects.filter(author=author, created_at__gte=since).count()
        limit = rules.daily_report_limit()
        if filed_today >= limit:
            raise DailyLimitReached(limit=limit)
        report = Report.objects.create(
            author=author,
            topic=topic,
            district=district,
            building=building,
            latitude=lat,
            longitude=lon,
            address_text=(address_text or (building.text if building else ""))[:255],
            text=clean_text,
            status=ReportStatus.SUBMITTED,
            source=source,
        )
        transition(report, "submit", actor=author)
        photos.attach(checked, report=report, written=written)
    return report


def _locked_report(report_id: int) -> Report:
    report = Report.objects.select_for_update().select_related("topic", "author").filter(pk=report_id).first()
    if report is None:
        raise ReportNotFound()
    return report


@transaction.atomic(durable=True)
def report_accept(*, report_id: int, moderator: Resident, organisation_id: int | None = None) -> Report:
    """Accept a report, route it and start its deadline; the author earns points."""
    if not account_permissions.is_moderator(moderator):
        raise NotModerator()
    report = _locked_report(report_id)
    rules.next_status(report.status, "accept")
    if organisation_id is not None:
        organisation = Organisation.objects.filter(pk=organisation_id, is_active=True).first()
    else:
        organisation = selectors.organisation_for(
            topic=report.topic, district_id=report.district_id, building_id=report.building_id
        )
    if organisation is None:
        raise NoOrganisation()
    now = timezone.now()
    start = city_time.to_city(now).date()
    transition(
        report,
        "accept",
        actor=moderator,
        note=organisation.name,
        organisation=organisation,
        accepted_at=now,
        deadline=selectors.deadline_for(start, report.topic.deadline_days),
        overdue=False,
    )
    points_services.award(
        resident=report.author,
        programme=PROGRAMME,
        action="report_accepted",
        source_key=f"problems:report:{report.pk}",
        memo=Message(gettext_noop("Report #%(id)s"), id=report.pk),
    )
    notices.report_accepted(report)
    return report


@transaction.atomic(durable=True)
def report_reject(*, report_id: int, moderator: Resident, reason: str) -> Report:
    if not account_permissions.is_moderator(moderator):
        raise NotModerator()
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired(field="reason")
    report = _locked_report(report_id)
    transition(report, "reject", actor=moderator, note=reason, reject_reason=reason[:500])
    notices.report_rejected(report)
    return report


@transaction.atomic(durable=True)
def report_reroute(*, report_id: int, operator: Resident, organisation_id: int, reason: str) -> Report:
    """An operator hands the report to another organisation; the deadline restarts from today."""
    if not account_permissions.is_operator(operator):
        raise NotOperator()
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired(field="reason")
    organisation = Organisation.objects.filter(pk=organisation_id, is_active=True).first()
    if organisation is None:
        raise NoOrganisation(field="organisation")
    report = _locked_report(report_id)
    before = {"organisation": report.organisation_id, "status": report.status}
    transition(
        report,
        "reroute",
        actor=operator,
        note=reason,
        organisation=organisation,
        deadline=selectors.deadline_for(city_time.city_today(), report.topic.deadline_days),
        overdue=False,
    )
    notices.routed_to_responders(report, round_key=f"reroute:{report.events.count()}")
    audit_record(
        actor=operator,
        action="problems.report_reroute",
        target=report,
        before=before,
        after={"organisation": organisation.pk, "status": report.status},
        reason=reason,
    )
    return report


@transaction.atomic(durable=True)
def report_operator_close(*, report_id: int, operator: Resident, reason: str) -> Report:
    """Close a report that went to an operator after too many refutations."""
    if not account_permissions.is_operator(operator):
        raise NotOperator()
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired(field="reason")
    report = _locked_report(report_id)
    before = {"status": report.status}
    transition(report, "operator_close", actor=operator, note=reason, closed_at=timezone.now())
    audit_record(
        actor=operator,
        action="problems.report_close",
        target=report,
        before=before,
        after={"status": report.status},
        reason=reason,
    )
    return report


@transaction.atomic(durable=True)
def report_follow(*, report_id: int, resident: Resident) -> Follower:
    """'Me too': join someone else's open report instead of filing a duplicate."""
    report = Report.objects.filter(pk=report_id).first()
    if report is None or not permissions.is_public(report):
        raise ReportNotFound()
    if report.author_id == resident.pk or report.status not in rules.OPEN_STATUSES:
        raise CannotFollow()
    try:
        with transaction.atomic():
            return Follower.objects.create(report=report, resident=resident)
    except IntegrityError:
        raise AlreadyFollowing() from None


def reports_mark_overdue(*, today: dt.date | None = None) -> int:
    """Mark reports whose deadline passed without an answer (idempotent; for the scheduler)."""
    today = today or city_time.city_today()
    with transaction.atomic():
        return Report.objects.filter(
            status__in=rules.DEADLINE_STATUSES, overdue=False, deadline__lt=today
        ).update(overdue=True)


def reports_close_unrated(*, now: dt.datetime | None = None) -> int:
    """Close answered reports whose author did not rate within the window (idempotent)."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=rules.rating_window_days())
    closed = 0
    for report_id in Report.objects.filter(status=ReportStatus.ANSWERED, answered_at__lt=cutoff).values_list(
        "id", flat=True
    ):
        with transaction.atomic():
            report = (
                Report.objects.select_for_update().filter(pk=report_id, status=ReportStatus.ANSWERED).first()
            )
            if report is None:
                continue
            transition(report, "window_expire", actor=None, closed_at=now)
            closed += 1
    return closed
