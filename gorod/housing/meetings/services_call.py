"""Calling an owners' general meeting (Housing Code of the RF, arts. 44-47.1): who may call it,
its form, agenda with thresholds, materials and schedule; the notice goes to the building's
board, the owners' notification centres and their e-mail (after commit)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from gorod.accounts.models import Resident
from gorod.accounts.services import audit_record
from gorod.core.messages import Message
from gorod.housing import errors, permissions
from gorod.housing.meetings import rules as rules_meetings
from gorod.housing.meetings.selectors import owner_ids
from gorod.housing.models import (
    AgendaQuestion,
    Announcement,
    AnnouncementStatus,
    Building,
    Meeting,
    MeetingForm,
    MeetingMaterial,
    Ownership,
    Threshold,
)
from gorod.notifications import services as notifications
from gorod.points import services as points

PROGRAMME = "electronic_home"
MATERIAL_EXTENSIONS = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".odt", ".ods", ".jpg", ".jpeg", ".png")
MATERIAL_MAX_BYTES = 20 * 1024 * 1024
MAX_MATERIALS = 20
MAX_QUESTIONS = 30


def _material_extension(upload: UploadedFile) -> str:
    name = (upload.name or "").lower()
    extension = next((e for e in MATERIAL_EXTENSIONS if name.endswith(e)), "")
    if not extension or (upload.size or 0) > MATERIAL_MAX_BYTES:
        raise errors.MaterialNotAccepted(field="materials")
    return extension


def _check_agenda(questions: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    cleaned = [(subject.strip(), threshold) for subject, threshold in questions]
    if (
        not cleaned
        or len(cleaned) > MAX_QUESTIONS
        or any(not subject or threshold not in Threshold.values for subject, threshold in cleaned)
    ):
        raise errors.MeetingAgendaEmpty(field="questions")
    return cleaned


@transaction.atomic
def meeting_create(
    *,
    building: Building,
    title: str,
    questions: Sequence[tuple[str, str]],
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    actor: Resident,
    notice_at: dt.datetime | None = None,
    form: str = MeetingForm.ELECTRONIC,
    materials: Sequence[UploadedFile] = (),
) -> Meeting:
    """An owner, or the building's administrator for the management organisation, calls a
    meeting. Everything is checked before anything is written; the notice is published now
    (or at ``notice_at``) and reaches every owner."""
    notice_at = notice_at or timezone.now()
    is_admin = permissions.administers(actor, building)
    is_owner = Ownership.objects.filter(premise__building=building, owner=actor).exists()
    if not (is_admin or is_owner):
        raise errors.NotAnOwnerToInitiate()
    title = title.strip()[:200]
    if not title:
        raise errors.InvalidInput(field="title")
    if form not in MeetingForm.values:
        raise errors.MeetingFormInvalid(field="form")
    agenda = _check_agenda(questions)
    if len(materials) > MAX_MATERIALS:
        raise errors.MaterialNotAccepted(field="materials")
    extensions = [_material_extension(upload) for upload in materials]
    rules_meetings.check_schedule(notice_at=notice_at, starts_at=starts_at, ends_at=ends_at)
    meeting = Meeting.objects.create(
        building=building,
        title=title,
        initiator=actor,
        by_management=is_admin and not is_owner,
        form=form,
        notice_at=notice_at,
        starts_at=starts_at,
        ends_at=ends_at,
    )
    AgendaQuestion.objects.bulk_create(
        [
            AgendaQuestion(meeting=meeting, position=n, subject=subject, threshold=threshold)
            for n, (subject, threshold) in enumerate(agenda, start=1)
        ]
    )
    _store_materials(meeting, materials, extensions, first=1)
    if is_owner:
        points.award(
            resident=actor,
            programme=PROGRAMME,
            action="meeting_hold",
            source_key=f"meeting_hold:{meeting.pk}",
        )
    _publish_notice(meeting, actor)
    audit_record(
        actor=actor,
        action="housing.meeting_call",
        target=meeting,
        after={"building": building.pk, "form": form, "questions": len(agenda), "materials": len(materials)},
    )
    return meeting


def _store_materials(
    meeting: Meeting, uploads: Sequence[UploadedFile], extensions: Sequence[str], *, first: int
) -> list[MeetingMaterial]:
    stored = []
    for n, (upload, extension) in enumerate(zip(uploads, extensions, strict=True), start=first):
        material = MeetingMaterial(meeting=meeting, title=(upload.name or "")[:200] or f"{n}{extension}")
        material.file.save(f"meeting-{meeting.pk}-{n}{extension}", upload, save=False)
        material.save()
        stored.append(material)
    return stored


@transaction.atomic
def materials_add(
    *, meeting: Meeting, uploads: Sequence[UploadedFile], actor: Resident, now: dt.datetime | None = None
) -> list[MeetingMaterial]:
    """The initiator or the administrator adds materials until voting starts (the owners must
    have them before they vote)."""
    now = now or timezone.now()
    if actor.pk != meeting.initiator_id and not permissions.administers(actor, meeting.building_id):
        raise errors.NotAnOwnerToInitiate()
    if now >= meeting.starts_at:
        raise errors.MeetingMaterialsClosed()
    have = MeetingMaterial.objects.filter(meeting=meeting).count()
    if not uploads or have + len(uploads) > MAX_MATERIALS:
        raise errors.MaterialNotAccepted(field="materials")
    extensions = [_material_extension(upload) for upload in uploads]
    stored = _store_materials(meeting, uploads, extensions, first=have + 1)
    audit_record(
        actor=actor, action="housing.meeting_materials", target=meeting, after={"added": len(stored)}
    )
    return stored


# Notices already on boards were stored with this text (it began with the form's label in lower
# case); the catalogue keeps translating it for them.
_EARLIER_NOTICE = gettext_noop("%(form)s. Voting runs from %(start)s to %(end)s.\nAgenda:\n%(agenda)s")


def _publish_notice(meeting: Meeting, actor: Resident) -> None:
    """The notice of art. 45 part 4: on the board (the place the owners agreed on) and to each
    owner; e-mail goes out after commit through the notification centre."""
    url = reverse("housing:meeting", args=[meeting.pk])
    period = Message(
        gettext_noop("Voting runs from %(start)s to %(end)s."), start=meeting.starts_at, end=meeting.ends_at
    )
    title = Message(gettext_noop("Owners' meeting: %(title)s"), title=meeting.title)
    body = Message(
        gettext_noop("Form: %(form)s. Voting runs from %(start)s to %(end)s.\nAgenda:\n%(agenda)s"),
        form=MeetingForm(meeting.form).label,
        start=meeting.starts_at,
        end=meeting.ends_at,
        agenda=[q.subject for q in AgendaQuestion.objects.filter(meeting=meeting).order_by("position")],
    )
    Announcement.objects.create(
        building=meeting.building,
        author=actor,
        title=title.in_english()[:120],
        body=body.in_english()[:2000],
        title_message=title.stored(),
        body_message=body.stored(),
        official=meeting.by_management,
        status=AnnouncementStatus.APPROVED,
        decided_by=actor,
        decided_at=meeting.notice_at,
        published_at=meeting.notice_at,
    )
    notifications.notify(
        resident_ids=owner_ids(meeting.building_id),
        kind="meeting_notice",
        event_key=f"meeting:{meeting.pk}:notice",
        title=title,
        body=period,
        url=url,
    )
