"""/api/v1/home/meetings...: owners' general meetings end to end for a mobile app: call one
(with materials), read the agenda with each threshold's legal basis, preview and cast a
ballot, read the results, download the protocol, read a building's decisions; for the
administrator the register, proxies and paper ballots."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Annotated, Any

from django.http import FileResponse, HttpRequest
from django.urls import reverse
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from gorod.accounts import selectors as account_selectors
from gorod.accounts.edge import resident_of
from gorod.core.api_fields import NON_BLANK
from gorod.housing import errors
from gorod.housing.meetings import selectors as selectors_meetings
from gorod.housing.meetings import services
from gorod.housing.meetings import services_call as services_meeting_call
from gorod.housing.meetings.rules import legal_basis, percent
from gorod.housing.models import (
    Building,
    Choice,
    Meeting,
    MeetingForm,
    MeetingStatus,
    RegisterEntry,
    Threshold,
)

router = Router(tags=["home meetings"])

# One to MAX_MATERIALS files, as the document says (the service refuses none or more; a form
# cannot send an empty list, so none would reach the service as a missing field).
Materials = Annotated[list[UploadedFile], File(min_length=1, max_length=services_meeting_call.MAX_MATERIALS)]


def _votes(value: Fraction) -> str:
    return f"{value.numerator}/{value.denominator}"


# The choices the services accept, as the document's patterns (the services refuse any other).
THRESHOLDS = "|".join(Threshold.values)
FORMS = "|".join(MeetingForm.values)
CHOICES = "|".join(Choice.values)
# An answer's key is an agenda question's id, which JSON can only spell as a string of digits.
QUESTION_ID = "^[0-9]{1,18}$"


# for, against or abstain (pydantic checks it; the service then checks the keys against the agenda,
# which is the meeting's: 409 meeting_ballot_incomplete).
Answer = Annotated[str, Field(pattern=f"^({CHOICES})$")]


def _answers_schema(schema: dict[str, Any]) -> None:
    schema["propertyNames"] = {"pattern": QUESTION_ID}


class MeetingQuestionIn(Schema):
    subject: str = Field(max_length=2000, pattern=NON_BLANK)
    threshold: str = Field(pattern=f"^({THRESHOLDS})$", description="the share of votes that adopts it")


class MeetingIn(Schema):
    building_id: int
    title: str = Field(max_length=200, pattern=NON_BLANK)
    form: str = Field(MeetingForm.ELECTRONIC, pattern=f"^({FORMS})$", description="the form of the meeting")
    questions: list[MeetingQuestionIn] = Field(min_length=1, max_length=30)
    starts_at: dt.datetime = Field(description="At least 10 days after now (the notice)")
    ends_at: dt.datetime = Field(description="7 to 60 days after starts_at")


class MeetingQuestionOut(Schema):
    id: int
    position: int
    subject: str
    threshold: str
    threshold_label: str
    legal_basis: str


class MeetingMaterialOut(Schema):
    id: int
    title: str
    url: str


class MeetingOut(Schema):
    id: int
    building_id: int
    address: str
    title: str
    form: str
    form_label: str
    status: str
    by_management: bool
    notice_at: dt.datetime
    starts_at: dt.datetime
    ends_at: dt.datetime
    questions: list[MeetingQuestionOut]
    materials: list[MeetingMaterialOut]
    protocol_url: str | None


class MeetingBallotLineOut(Schema):
    entry_id: int
    premise: str
    owner_name: str
    area: str = Field(description="m²")
    share: str = Field(description="a fraction, e.g. 1/2")
    votes: str = Field(description="area × share as an exact fraction")
    as_proxy: bool
    voted: bool


class MeetingBallotIn(Schema):
    answers: dict[int, Answer] = Field(
        min_length=1,
        description="question id → for | against | abstain, every question of the agenda",
        json_schema_extra=_answers_schema,
    )
    entry_ids: list[int] | None = Field(
        None, description="the register entries to vote for; all you hold that have not voted when omitted"
    )


class MeetingBallotOut(Schema):
    entries: int


class MeetingQuestionResultOut(Schema):
    question_id: int
    threshold: str
    votes_for: str
    votes_against: str
    votes_abstain: str
    for_percent: str = Field(description="of all votes, two decimals")
    adopted: bool


class MeetingResultOut(Schema):
    total: str
    participating: str
    participating_percent: str
    quorum: bool
    questions: list[MeetingQuestionResultOut]


class MeetingDecisionOut(Schema):
    meeting_id: int
    meeting_title: str
    position: int
    subject: str
    threshold: str
    legal_basis: str


class MeetingRegisterEntryOut(Schema):
    id: int
    premise: str
    owner_name: str
    votes: str
    voted: bool
    paper: bool
    holders: list[str]


class MeetingProxyIn(Schema):
    proxy: str = Field(min_length=1, max_length=150, description="login, e-mail or phone of the proxy")
    power_of_attorney: str = Field(min_length=1, max_length=120)


class MeetingPaperBallotIn(Schema):
    answers: dict[int, Answer] = Field(
        min_length=1,
        description="question id → for | against | abstain, every question of the agenda",
        json_schema_extra=_answers_schema,
    )


def meeting_out(meeting: Meeting) -> MeetingOut:
    return MeetingOut(
        id=meeting.pk,
        building_id=meeting.building_id,
        address=meeting.building.address,
        title=meeting.title,
        form=meeting.form,
        form_label=str(meeting.get_form_display()),
        status=meeting.status,
        by_management=meeting.by_management,
        notice_at=meeting.notice_at,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        questions=[
            MeetingQuestionOut(
                id=q.pk,
                position=q.position,
                subject=q.subject,
                threshold=q.threshold,
                threshold_label=str(q.get_threshold_display()),
                legal_basis=legal_basis(q.threshold),
            )
            for q in meeting.questions.order_by("position")
        ],
        materials=[
            MeetingMaterialOut(
                id=m.pk, title=m.title, url=reverse("housing:meeting_material", args=[meeting.pk, m.pk])
            )
            for m in meeting.materials.all()
        ],
        protocol_url=reverse("housing:meeting_protocol", args=[meeting.pk]) if meeting.protocol else None,
    )


def _meeting(request: HttpRequest, meeting_id: int) -> Meeting:
    return selectors_meetings.meeting_for(resident_of(request), meeting_id)


@router.get(
    "/meetings",
    operation_id="gorod_housing_api_meetings_get_meetings",
    response=list[MeetingOut],
    summary="Meetings of my buildings, newest first",
)
def get_meetings(request: HttpRequest) -> list[MeetingOut]:
    mine = selectors_meetings.my_meetings(resident_of(request)).prefetch_related("questions", "materials")[
        :30
    ]
    return [meeting_out(m) for m in mine]


@router.post(
    "/meetings",
    operation_id="gorod_housing_api_meetings_post_meeting",
    response={201: MeetingOut},
    summary="Call an owners' meeting",
)
def post_meeting(request: HttpRequest, body: MeetingIn) -> Status[MeetingOut]:
    building = Building.objects.filter(pk=body.building_id).first()
    if building is None:
        raise errors.BuildingNotFound()
    meeting = services_meeting_call.meeting_create(
        building=building,
        title=body.title,
        form=body.form,
        questions=[(q.subject, q.threshold) for q in body.questions],
        starts_at=body.starts_at,
        ends_at=body.ends_at,
        actor=resident_of(request),
    )
    return Status(201, meeting_out(meeting))


@router.get(
    "/meetings/{meeting_id}",
    operation_id="gorod_housing_api_meetings_get_meeting",
    response=MeetingOut,
    summary="A meeting: agenda, thresholds, materials",
)
def get_meeting(request: HttpRequest, meeting_id: int) -> MeetingOut:
    return meeting_out(_meeting(request, meeting_id))


@router.post(
    "/meetings/{meeting_id}/materials",
    operation_id="gorod_housing_api_meetings_post_materials",
    response={201: list[MeetingMaterialOut]},
    summary="Add materials (files)",
)
def post_materials(
    request: HttpRequest,
    meeting_id: int,
    files: Materials,
) -> Status[list[MeetingMaterialOut]]:
    meeting = _meeting(request, meeting_id)
    stored = services_meeting_call.materials_add(
        meeting=meeting, uploads=list(files), actor=resident_of(request)
    )
    return Status(
        201,
        [
            MeetingMaterialOut(
                id=m.pk, title=m.title, url=reverse("housing:meeting_material", args=[meeting.pk, m.pk])
            )
            for m in stored
        ],
    )


@router.get(
    "/meetings/{meeting_id}/ballot",
    operation_id="gorod_housing_api_meetings_get_ballot",
    response=list[MeetingBallotLineOut],
    summary="What my ballot covers: premises, shares and votes, before I confirm",
)
def get_ballot(request: HttpRequest, meeting_id: int) -> list[MeetingBallotLineOut]:
    meeting = _meeting(request, meeting_id)
    if meeting.status == MeetingStatus.ANNOUNCED:
        meeting = services.meeting_start(meeting=meeting)
    return [
        MeetingBallotLineOut(
            entry_id=line.entry_id,
            premise=line.premise,
            owner_name=line.owner_name,
            area=str(line.area),
            share=str(line.share),
            votes=_votes(line.weight),
            as_proxy=line.as_proxy,
            voted=line.voted,
        )
        for line in selectors_meetings.ballot_lines(meeting, resident_of(request))
    ]


@router.post(
    "/meetings/{meeting_id}/ballots",
    response={201: MeetingBallotOut},
    summary="Cast my ballot (final)",
    operation_id="gorod_housing_api_meetings_post_ballot",
)
def post_ballot(request: HttpRequest, meeting_id: int, body: MeetingBallotIn) -> Status[MeetingBallotOut]:
    meeting = _meeting(request, meeting_id)
    count = services.ballot_cast(
        meeting=meeting, resident=resident_of(request), answers=body.answers, entry_ids=body.entry_ids
    )
    return Status(201, MeetingBallotOut(entries=count))


@router.get(
    "/meetings/{meeting_id}/results",
    response=MeetingResultOut,
    summary="Results of a finished meeting",
    operation_id="gorod_housing_api_meetings_get_results",
)
def get_results(request: HttpRequest, meeting_id: int) -> MeetingResultOut:
    meeting = _meeting(request, meeting_id)
    if meeting.status != MeetingStatus.FINISHED or not meeting.result:
        raise errors.MeetingNotFinished()
    result = meeting.result
    total = Fraction(result["total"])
    return MeetingResultOut(
        total=result["total"],
        participating=result["participating"],
        participating_percent=percent(Fraction(result["participating"]), total),
        quorum=result["quorum"],
        questions=[
            MeetingQuestionResultOut(
                question_id=q["question_id"],
                threshold=q["threshold"],
                votes_for=q["for"],
                votes_against=q["against"],
                votes_abstain=q["abstain"],
                for_percent=percent(Fraction(q["for"]), total),
                adopted=q["adopted"],
            )
            for q in result["questions"]
        ],
    )


@router.get(
    "/meetings/{meeting_id}/protocol",
    operation_id="gorod_housing_api_meetings_get_protocol",
    summary="The protocol (PDF) of a finished meeting",
)
def get_protocol(request: HttpRequest, meeting_id: int) -> FileResponse:
    meeting = _meeting(request, meeting_id)
    if not meeting.protocol:
        raise errors.MeetingNotFinished()
    return FileResponse(
        meeting.protocol.open("rb"), content_type="application/pdf", filename=f"protocol-{meeting.pk}.pdf"
    )


@router.get(
    "/buildings/{building_id}/decisions",
    operation_id="gorod_housing_api_meetings_get_decisions",
    response=list[MeetingDecisionOut],
    summary="A building's register of decisions",
)
def get_decisions(request: HttpRequest, building_id: int) -> list[MeetingDecisionOut]:
    building = Building.objects.filter(pk=building_id).first()
    if building is None:
        raise errors.BuildingNotFound()
    if not selectors_meetings.may_read_building_meetings(resident_of(request), building):
        raise errors.NotBuildingResident()
    return [
        MeetingDecisionOut(
            meeting_id=d.meeting_id,
            meeting_title=d.meeting_title,
            position=d.position,
            subject=d.subject,
            threshold=d.threshold,
            legal_basis=d.legal_basis,
        )
        for d in selectors_meetings.decision_register(building)
    ]


def _administered(request: HttpRequest, meeting_id: int) -> Meeting:
    return selectors_meetings.meeting_for_administrator(resident_of(request), meeting_id)


def _entry(meeting: Meeting, entry_id: int) -> RegisterEntry:
    entry = RegisterEntry.objects.filter(meeting=meeting, pk=entry_id).first()
    if entry is None:
        raise errors.RegisterEntryNotFound()
    return entry


@router.get(
    "/meetings/{meeting_id}/register",
    operation_id="gorod_housing_api_meetings_get_register",
    response=list[MeetingRegisterEntryOut],
    summary="The frozen register (administrator)",
)
def get_register(request: HttpRequest, meeting_id: int) -> list[MeetingRegisterEntryOut]:
    meeting = _administered(request, meeting_id)
    if meeting.status == MeetingStatus.ANNOUNCED:
        meeting = services.meeting_start(meeting=meeting)
    return [_row_out(e) for e in selectors_meetings.register_rows(meeting)[:2000]]


@router.post(
    "/meetings/{meeting_id}/register/{entry_id}/proxies",
    operation_id="gorod_housing_api_meetings_post_proxy",
    response={201: MeetingRegisterEntryOut},
    summary="Record a power of attorney (administrator)",
)
def post_proxy(
    request: HttpRequest, meeting_id: int, entry_id: int, body: MeetingProxyIn
) -> Status[MeetingRegisterEntryOut]:
    meeting = _administered(request, meeting_id)
    entry = _entry(meeting, entry_id)
    proxy = account_selectors.resident_by_login(body.proxy)
    if proxy is None:
        raise errors.ProxyNotFound(field="proxy")
    services.proxy_record(
        meeting=meeting,
        entry=entry,
        proxy=proxy,
        power_of_attorney=body.power_of_attorney,
        actor=resident_of(request),
    )
    return Status(201, _register_row(meeting, entry.pk))


@router.post(
    "/meetings/{meeting_id}/register/{entry_id}/paper-ballot",
    operation_id="gorod_housing_api_meetings_post_paper_ballot",
    response={201: MeetingRegisterEntryOut},
    summary="Enter an owner's paper ballot (administrator)",
)
def post_paper_ballot(
    request: HttpRequest, meeting_id: int, entry_id: int, body: MeetingPaperBallotIn
) -> Status[MeetingRegisterEntryOut]:
    meeting = _administered(request, meeting_id)
    entry = _entry(meeting, entry_id)
    services.paper_ballot_enter(
        meeting=meeting, entry=entry, answers=body.answers, actor=resident_of(request)
    )
    return Status(201, _register_row(meeting, entry.pk))


def _register_row(meeting: Meeting, entry_id: int) -> MeetingRegisterEntryOut:
    return _row_out(selectors_meetings.register_rows(meeting).get(pk=entry_id))


def _row_out(e: RegisterEntry) -> MeetingRegisterEntryOut:
    return MeetingRegisterEntryOut(
        id=e.pk,
        premise=e.premise.number,
        owner_name=e.owner_name,
        votes=_votes(e.weight),
        voted=e.voted,  # type: ignore[attr-defined]
        paper=e.paper,  # type: ignore[attr-defined]
        holders=[h.resident.username for h in e.holders.all()],
    )
