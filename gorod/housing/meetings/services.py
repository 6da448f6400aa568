"""Writes for owners' general meetings (calling one is in services_meeting_call): freeze the register, vote, paper ballots,
proxies, finish with the result and the protocol."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from fractions import Fraction

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from gorod.accounts import rights
from gorod.accounts.models import AccountLevel, Resident
from gorod.accounts.services import audit_record
from gorod.core.messages import Message
from gorod.housing import errors, permissions
from gorod.housing.meetings import rules as rules_meetings
from gorod.housing.meetings.selectors import held_entries, meeting_tally, owner_ids
from gorod.housing.meetings.services_call import PROGRAMME
from gorod.housing.models import (
    AgendaQuestion,
    Choice,
    Meeting,
    MeetingBallot,
    MeetingForm,
    MeetingStatus,
    Ownership,
    Premise,
    RegisterEntry,
    RegisterHolder,
)
from gorod.notifications import services as notifications
from gorod.points import services as points


def _require_voting_level(resident: Resident) -> None:
    """An owner's vote binds the building: only an account whose identity is confirmed to the
    level the city sets (gorod.accounts.rights, GOROD_OWNERS_MEETING_MIN_LEVEL)."""
    if not rights.allows(resident.level, rights.OWNERS_MEETING_VOTE):
        raise errors.AccountLevelTooLowToVote(
            required=AccountLevel(rights.minimum_level(rights.OWNERS_MEETING_VOTE)).label
        )


@transaction.atomic
def meeting_start(*, meeting: Meeting, now: dt.datetime | None = None) -> Meeting:
    """Freeze the owners register when voting starts (idempotent). Each sole or shared line is
    an entry; a joint group is one entry whose holders vote once for it."""
    now = now or timezone.now()
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.register_frozen_at is not None or now < locked.starts_at:
        return locked
    premises = Premise.objects.filter(building_id=locked.building_id)
    total = sum((Fraction(p.area) for p in premises.only("area")), Fraction(0))
    entries: list[RegisterEntry] = []
    holders: list[tuple[int, list[int]]] = []
    groups: dict[tuple[int, int], int] = {}
    for line in (
        Ownership.objects.filter(premise__building_id=locked.building_id)
        .select_related("premise")
        .order_by("premise_id", "pk")
    ):
        if line.joint_group is not None and (line.premise_id, line.joint_group) in groups:
            index = groups[(line.premise_id, line.joint_group)]
            entries[index].owner_name = f"{entries[index].owner_name}, {line.owner_name}"[:400]
            if line.owner_id:
                holders[index][1].append(line.owner_id)
            continue
        weight = rules_meetings.weight(line.premise.area, line.share)
        entries.append(
            RegisterEntry(
                meeting=locked,
                premise_id=line.premise_id,
                ownership=line,
                owner_name=line.owner_name,
                weight_numerator=weight.numerator,
                weight_denominator=weight.denominator,
            )
        )
        holders.append((line.pk, [line.owner_id] if line.owner_id else []))
        if line.joint_group is not None:
            groups[(line.premise_id, line.joint_group)] = len(entries) - 1
    created = RegisterEntry.objects.bulk_create(entries, batch_size=1000)
    RegisterHolder.objects.bulk_create(
        [
            RegisterHolder(entry=entry, resident_id=rid)
            for entry, (_o, ids) in zip(created, holders, strict=True)
            for rid in ids
        ],
        batch_size=1000,
    )
    locked.total_numerator = total.numerator
    locked.total_denominator = total.denominator
    locked.register_frozen_at = now
    locked.status = MeetingStatus.VOTING
    locked.save(update_fields=["total_numerator", "total_denominator", "register_frozen_at", "status"])
    return locked


def _check_open(meeting: Meeting, now: dt.datetime) -> Meeting:
    if not meeting.starts_at <= now < meeting.ends_at:
        raise errors.MeetingNotOpen()
    return meeting_start(meeting=meeting, now=now)


def _check_answers(meeting: Meeting, answers: Mapping[int, str]) -> list[AgendaQuestion]:
    questions = list(meeting.questions.all())
    if {q.pk for q in questions} != set(answers) or any(c not in Choice.values for c in answers.values()):
        raise errors.BallotIncomplete(field="answers")
    return questions


def _write_ballots(
    *,
    meeting: Meeting,
    entry_ids: Collection[int],
    questions: list[AgendaQuestion],
    answers: Mapping[int, str],
    cast_by: Resident,
    now: dt.datetime,
    paper: bool = False,
    scan: UploadedFile | None = None,
    scan_name: str = "",
) -> None:
    """One ballot per entry and question; an entry that already voted refuses the whole
    ballot (the unique constraint decides under concurrency)."""
    if MeetingBallot.objects.filter(entry_id__in=entry_ids).exists():
        raise errors.AlreadyVotedInMeeting()
    ballots = [
        MeetingBallot(entry_id=e, question=q, choice=answers[q.pk], cast_by=cast_by, paper=paper, cast_at=now)
        for e in sorted(entry_ids)
        for q in questions
    ]
    if scan is not None:
        ballots[0].scan.save(scan_name, scan, save=False)
    try:
        with transaction.atomic():
            MeetingBallot.objects.bulk_create(ballots)
    except IntegrityError:
        raise errors.AlreadyVotedInMeeting() from None


def ballot_check(*, meeting: Meeting, resident: Resident, answers: Mapping[int, str]) -> None:
    """The checks of ballot_cast without writing: the review step refuses what the vote would."""
    if meeting.form != MeetingForm.ELECTRONIC:
        raise errors.MeetingNotElectronic()
    meeting = _check_open(meeting, timezone.now())
    held = held_entries(meeting, resident)
    if not held:
        raise errors.NotAnOwner()
    _require_voting_level(resident)
    _check_answers(meeting, answers)
    if all(held.values()):
        raise errors.AlreadyVotedInMeeting()


@transaction.atomic
def ballot_cast(
    *,
    meeting: Meeting,
    resident: Resident,
    answers: Mapping[int, str],
    entry_ids: Collection[int] | None = None,
    now: dt.datetime | None = None,
) -> int:
    """Vote on every question for the register entries the resident holds (as owner or proxy)
    that have not voted yet, or only for ``entry_ids``: a proxy who voted for their own flat
    still votes for the principal, possibly differently. Returns how many entries were voted
    for; each entry's ballot is final."""
    now = now or timezone.now()
    if meeting.form != MeetingForm.ELECTRONIC:
        raise errors.MeetingNotElectronic()
    meeting = _check_open(meeting, now)
    held = held_entries(meeting, resident)
    if not held:
        raise errors.NotAnOwner()
    # Art. 47.1 votes are signed by an identified owner: a simplified account is not enough.
    _require_voting_level(resident)
    questions = _check_answers(meeting, answers)
    if entry_ids is None:
        targets = {e for e, voted in held.items() if not voted}
    else:
        targets = set(entry_ids)
        if not targets or not targets <= held.keys():
            raise errors.BallotEntryNotHeld(field="entry_ids")
    if not targets:
        raise errors.AlreadyVotedInMeeting()
    _write_ballots(
        meeting=meeting, entry_ids=targets, questions=questions, answers=answers, cast_by=resident, now=now
    )
    _award_join(meeting, resident)
    return len(targets)


SCAN_EXTENSIONS = (".pdf", ".jpg", ".jpeg", ".png")


def _scan_name(prefix: str, upload: UploadedFile) -> str:
    name = (upload.name or "").lower()
    extension = next((e for e in SCAN_EXTENSIONS if name.endswith(e)), "")
    if not extension:
        raise errors.ScanNotAccepted(field="scan")
    return f"{prefix}{extension}"


def _award_join(meeting: Meeting, resident: Resident) -> None:
    points.award(
        resident=resident,
        programme=PROGRAMME,
        action="meeting_join",
        source_key=f"meeting:{meeting.pk}:{resident.pk}",
    )


@transaction.atomic
def paper_ballot_enter(
    *,
    meeting: Meeting,
    entry: RegisterEntry,
    answers: Mapping[int, str],
    actor: Resident,
    scan: UploadedFile | None = None,
    now: dt.datetime | None = None,
) -> None:
    """The administrator enters an owner's paper ballot (with its scan) until voting ends. The
    owners who hold the entry took part, so they earn meeting_join as if they voted online."""
    if not permissions.administers(actor, meeting.building_id):
        raise errors.NotYourBuilding()
    now = now or timezone.now()
    meeting = _check_open(meeting, now)
    if entry.meeting_id != meeting.pk:
        raise errors.NotAnOwner()
    questions = _check_answers(meeting, answers)
    scan_name = _scan_name(f"meeting-{meeting.pk}-entry-{entry.pk}", scan) if scan is not None else ""
    _write_ballots(
        meeting=meeting,
        entry_ids=[entry.pk],
        questions=questions,
        answers=answers,
        cast_by=actor,
        now=now,
        paper=True,
        scan=scan,
        scan_name=scan_name,
    )
    owners = Resident.objects.filter(
        pk__in=RegisterHolder.objects.filter(entry=entry, is_proxy=False).values("resident_id")
    ).order_by("pk")
    for owner in owners:
        _award_join(meeting, owner)
    audit_record(actor=actor, action="housing.paper_ballot", target=meeting, after={"entry": entry.pk})


@transaction.atomic
def proxy_record(
    *,
    meeting: Meeting,
    entry: RegisterEntry,
    proxy: Resident,
    power_of_attorney: str,
    actor: Resident,
    document: UploadedFile | None = None,
    now: dt.datetime | None = None,
) -> RegisterHolder:
    """Record a power of attorney: the proxy may then vote for the entry until voting ends."""
    if not permissions.administers(actor, meeting.building_id):
        raise errors.NotYourBuilding()
    now = now or timezone.now()
    meeting = _check_open(meeting, now)
    if entry.meeting_id != meeting.pk or not power_of_attorney.strip():
        raise errors.InvalidInput(field="power_of_attorney")
    document_name = _scan_name(f"meeting-{meeting.pk}-entry-{entry.pk}-proxy", document) if document else ""
    holder, created = RegisterHolder.objects.get_or_create(
        entry=entry,
        resident=proxy,
        defaults={"is_proxy": True, "power_of_attorney": power_of_attorney.strip()[:120]},
    )
    if not created:
        raise errors.ProxyAlreadyHolds()
    if document is not None:
        holder.document.save(document_name, document, save=True)
    audit_record(
        actor=actor,
        action="housing.proxy_record",
        target=meeting,
        after={"entry": entry.pk, "proxy": proxy.pk, "power_of_attorney": holder.power_of_attorney},
    )
    return holder


@transaction.atomic
def meeting_finish(*, meeting: Meeting, now: dt.datetime | None = None) -> Meeting:
    """After voting ends: count, store the result, generate the protocol, tell the owners."""
    from gorod.housing.meetings.protocol import protocol_pdf

    now = now or timezone.now()
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.status == MeetingStatus.FINISHED or now < locked.ends_at:
        return locked
    if locked.register_frozen_at is None:
        locked = meeting_start(meeting=locked, now=max(now, locked.starts_at))
    result = meeting_tally(locked)
    locked.result = result.as_json()
    locked.status = MeetingStatus.FINISHED
    locked.finished_at = now
    locked.protocol.save(
        f"meeting-{locked.pk}-protocol.pdf", ContentFile(protocol_pdf(locked, result)), save=False
    )
    locked.save(update_fields=["result", "status", "finished_at", "protocol"])
    notifications.notify(
        resident_ids=owner_ids(locked.building_id),
        kind="meeting_notice",
        event_key=f"meeting:{locked.pk}:result",
        title=Message(gettext_noop("Results of the owners' meeting: %(title)s"), title=locked.title),
        body=Message(gettext_noop("The protocol is published.")),
        url=reverse("housing:meeting", args=[locked.pk]),
    )
    return locked


def meetings_advance(*, now: dt.datetime | None = None) -> int:
    """Periodic: freeze registers of meetings whose voting started, finish those that ended."""
    now = now or timezone.now()
    count = 0
    for meeting in Meeting.objects.filter(status=MeetingStatus.ANNOUNCED, starts_at__lte=now):
        meeting_start(meeting=meeting, now=now)
        count += 1
    for meeting in Meeting.objects.filter(
        status__in=[MeetingStatus.ANNOUNCED, MeetingStatus.VOTING], ends_at__lte=now
    ):
        meeting_finish(meeting=meeting, now=now)
        count += 1
    return count
