from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from gorod.accounts.edge import resident_of
from gorod.accounts.models import Resident
from gorod.core.api_fields import QueryBool
from gorod.missions import selectors, services
from gorod.missions.models import Challenge, Participation, ProofMethod

API_PREFIX = "/missions"
router = Router(tags=["missions"])


class ChallengeOut(Schema):
    id: int
    title: str
    description: str
    starts_on: dt.date
    ends_on: dt.date
    min_level: str
    district_ids: list[int]
    goal_kind: str
    goal_amount: int
    unit: str
    proof_method: str
    action: str
    points_per_unit: int
    leaderboard: bool
    participant_count: int


class ParticipationOut(Schema):
    challenge_id: int
    code: str
    joined_at: dt.datetime
    left_at: dt.datetime | None
    active: bool
    show_on_leaderboard: bool
    progress: int
    goal_amount: int
    points_earned: int
    cap: int | None
    remaining_allowance: int | None


class ChallengePageQuery(Schema):
    page: int = Field(1, ge=1, le=10_000)
    all: QueryBool = False


class ChallengePage(Schema):
    items: list[ChallengeOut]
    page: int
    pages: int


class LeaderboardIn(Schema):
    show: bool


class BoardRowOut(Schema):
    rank: int
    name: str
    progress: int


class EvidenceIn(Schema):
    resident: str = Field(..., min_length=1, max_length=150, description="Mission code or user name")
    evidence: str = Field(..., min_length=1, max_length=64)
    quantity: int = Field(1, ge=1, le=1_000_000)


class CodeConfirmIn(Schema):
    code: str = Field(..., min_length=1, max_length=12)
    evidence: str = Field(..., min_length=1, max_length=64)
    quantity: int = Field(1, ge=1, le=1_000_000)


class EvidenceOut(Schema):
    evidence: str
    quantity: int
    created: bool
    points: int
    remaining_allowance: int | None


class ImportIn(Schema):
    csv: str = Field(..., min_length=1, max_length=2_000_000)


class ImportOut(Schema):
    added: int
    repeated: int
    points: int


def _challenge_out(c: Challenge) -> ChallengeOut:
    return ChallengeOut(
        id=c.pk,
        title=c.title,
        description=c.description,
        starts_on=c.starts_on,
        ends_on=c.ends_on,
        min_level=c.min_level,
        district_ids=[d.pk for d in c.districts.all()],
        goal_kind=c.goal_kind,
        goal_amount=c.goal_amount,
        unit=c.unit,
        proof_method=c.proof_method,
        action=c.action,
        points_per_unit=c.points_per_unit,
        leaderboard=c.leaderboard,
        participant_count=getattr(c, "participant_count", 0),
    )


def _participation_out(challenge: Challenge, p: Participation) -> ParticipationOut:
    cap = selectors.cap_of(challenge)
    return ParticipationOut(
        challenge_id=challenge.pk,
        code=p.code,
        joined_at=p.joined_at,
        left_at=p.left_at,
        active=p.left_at is None,
        show_on_leaderboard=p.show_on_leaderboard,
        progress=p.progress,
        goal_amount=challenge.goal_amount,
        points_earned=p.points_earned,
        cap=cap,
        remaining_allowance=None if cap is None else max(0, cap - p.points_earned),
    )


@router.get("/challenges", response=ChallengePage, auth=None, summary="Challenges (open ones by default)")
def list_challenges(request: HttpRequest, query: Query[ChallengePageQuery]) -> ChallengePage:
    page = selectors.challenges_page(page=query.page, open_only=not query.all)
    return ChallengePage(
        items=[_challenge_out(c) for c in page], page=page.number, pages=page.paginator.num_pages
    )


@router.get("/challenges/{challenge_id}", response=ChallengeOut, auth=None, summary="One challenge")
def get_challenge(request: HttpRequest, challenge_id: int) -> ChallengeOut:
    return _challenge_out(selectors.challenge_get(challenge_id))


@router.post("/challenges/{challenge_id}/join", response={201: ParticipationOut}, summary="Join a challenge")
def join(request: HttpRequest, challenge_id: int) -> Status[ParticipationOut]:
    challenge = selectors.challenge_get(challenge_id)
    resident: Resident = resident_of(request)
    p = services.participation_join(challenge=challenge, resident=resident)
    p.refresh_from_db()
    return Status(201, _participation_out(challenge, p))


@router.post("/challenges/{challenge_id}/leave", response=ParticipationOut, summary="Leave a challenge")
def leave(request: HttpRequest, challenge_id: int) -> ParticipationOut:
    challenge = selectors.challenge_get(challenge_id)
    p = services.participation_leave(challenge=challenge, resident=resident_of(request))
    return _participation_out(challenge, p)


@router.get("/challenges/{challenge_id}/me", response=ParticipationOut, summary="My progress and allowance")
def my_progress(request: HttpRequest, challenge_id: int) -> ParticipationOut:
    challenge = selectors.challenge_get(challenge_id)
    view = selectors.challenge_view(challenge, resident_of(request))
    if view.participation is None:
        from gorod.missions.errors import NotJoined

        raise NotJoined(challenge_id=challenge.pk)
    return _participation_out(challenge, view.participation)


@router.put(
    "/challenges/{challenge_id}/leaderboard", response=ParticipationOut, summary="Show or hide my name"
)
def set_leaderboard(request: HttpRequest, challenge_id: int, body: LeaderboardIn) -> ParticipationOut:
    challenge = selectors.challenge_get(challenge_id)
    p = services.leaderboard_opt(challenge=challenge, resident=resident_of(request), show=body.show)
    return _participation_out(challenge, p)


@router.get(
    "/challenges/{challenge_id}/leaderboard",
    response=list[BoardRowOut],
    auth=None,
    summary="Opt-in leaderboard",
)
def get_leaderboard(request: HttpRequest, challenge_id: int) -> list[BoardRowOut]:
    challenge = selectors.challenge_get(challenge_id)
    return [
        BoardRowOut(rank=r.rank, name=r.name, progress=r.progress) for r in selectors.leaderboard(challenge)
    ]


def _evidence_out(result: services.EvidenceResult) -> EvidenceOut:
    return EvidenceOut(
        evidence=result.evidence.key,
        quantity=result.evidence.quantity,
        created=result.created,
        points=result.points,
        remaining_allowance=result.remaining_allowance,
    )


@router.post(
    "/challenges/{challenge_id}/evidence",
    response={201: EvidenceOut, 200: EvidenceOut},
    summary="Operator: record progress for a joined resident",
)
def post_evidence(request: HttpRequest, challenge_id: int, body: EvidenceIn) -> Status[EvidenceOut]:
    challenge = selectors.challenge_get(challenge_id)
    result = services.evidence_record(
        challenge=challenge,
        who=body.resident,
        key=body.evidence,
        quantity=body.quantity,
        source=ProofMethod.OPERATOR,
        actor=resident_of(request),
    )
    return Status(201 if result.created else 200, _evidence_out(result))


@router.post(
    "/confirmations",
    response={201: EvidenceOut, 200: EvidenceOut},
    summary="Partner staff: confirm with a code",
)
def post_confirmation(request: HttpRequest, body: CodeConfirmIn) -> Status[EvidenceOut]:
    result = services.evidence_confirm_code(
        code=body.code,
        key=body.evidence,
        quantity=body.quantity,
        actor=resident_of(request),
    )
    return Status(201 if result.created else 200, _evidence_out(result))


@router.post("/challenges/{challenge_id}/import", response=ImportOut, summary="Import a partner's CSV")
def post_import(request: HttpRequest, challenge_id: int, body: ImportIn) -> ImportOut:
    challenge = selectors.challenge_get(challenge_id)
    result = services.evidence_import(challenge=challenge, text=body.csv, actor=resident_of(request))
    return ImportOut(added=result.added, repeated=result.repeated, points=result.points)
