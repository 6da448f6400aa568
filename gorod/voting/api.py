"""/api/v1/polls and /api/v1/decisions: schemas in, service call, schema out."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterator
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from ninja import Query, Router, Schema
from ninja.decorators import decorate_view
from pydantic import BaseModel, Field, model_validator

from gorod.accounts.auth import public_or_signed_in
from gorod.accounts.edge import resident_of
from gorod.core.api_fields import NON_BLANK
from gorod.core.cache import shared_cache
from gorod.core.cache.public_cache import public_cache
from gorod.core.cache.public_responses import public_document
from gorod.core.errors import PermissionDenied
from gorod.core.privacy_text import mask_contacts
from gorod.voting import errors, permissions, rules, selectors, services, tally
from gorod.voting.budgets.api import router as budgets_router
from gorod.voting.contests.api import router as contests_router
from gorod.voting.decisions.api import router as decisions_router
from gorod.voting.discussions.api import router as discussions_router
from gorod.voting.models import Poll
from gorod.voting.quests.api import router as quests_router
from gorod.voting.quizzes.api import router as quizzes_router
from gorod.voting.ratings.api import router as ratings_router

API_PREFIX = ""
router = Router(tags=["active citizen"])


class OptionOut(Schema):
    id: int
    text: str


class QuestionOut(Schema):
    id: int
    text: str
    kind: str
    max_choices: int
    allow_other: bool
    options: list[OptionOut]


class PollOut(Schema):
    id: int
    kind: str
    title: str
    description: str
    status: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    live_results: bool
    binding: bool
    min_level: str
    questions: list[QuestionOut]
    has_voted: bool | None = None
    ballot_count: int | None = None
    merkle_root: str = ""


class PollPageOut(Schema):
    polls: list[PollOut]
    page: int
    has_next: bool


class PollQuery(Schema):
    status: str | None = Field(None, pattern="^(open|closed|published|archived|mine)$")
    page: int = Field(1, ge=1, le=10_000)


# The ballot's input as plain pydantic models: ninja's Schema wraps every object it validates
# for reading Django models' attributes, which a JSON body never needs (~15 us per ballot).
class AnswerIn(BaseModel):
    question_id: int
    # each option once (a duplicate is refused with 422 duplicate_choice)
    option_ids: list[int] = Field(
        default_factory=list, max_length=50, json_schema_extra={"uniqueItems": True}
    )
    other: str = Field("", max_length=rules.OTHER_MAX_LENGTH)


class BallotIn(BaseModel):
    answers: list[AnswerIn] = Field(min_length=1, max_length=50)

    @model_validator(mode="before")
    @classmethod
    def _empty_body(cls, value: Any) -> Any:
        # ninja hands an empty JSON object over as None: refuse it as a missing field, as before
        return {} if value is None else value


class ReceiptOut(Schema):
    poll_id: int
    code: str
    receipt_hash: str
    points: int


class OptionResultOut(Schema):
    id: int
    text: str
    count: int
    percent: str


class OtherResultOut(Schema):
    count: int
    percent: str


class QuestionResultOut(Schema):
    id: int
    text: str
    options: list[OptionResultOut]
    other: OtherResultOut


class DistrictResultOut(Schema):
    district_id: int
    name: str
    ballots: int
    questions: list[QuestionResultOut]


class PooledResultOut(Schema):
    ballots: int
    questions: list[QuestionResultOut]


class ResultsOut(Schema):
    poll_id: int
    status: str
    final: bool
    ballots: int
    questions: list[QuestionResultOut]
    districts: list[DistrictResultOut]
    other_districts: PooledResultOut | None
    breakdown_min_group: int
    merkle_root: str
    other_answers: list[str]


class ProofStepOut(Schema):
    sibling: str
    sibling_is_left: bool


class ReceiptProofOut(Schema):
    leaf: str
    index: int
    steps: list[ProofStepOut]


class ReceiptProofsOut(Schema):
    poll_id: int
    leaf_count: int
    root: str
    receipts: list[ReceiptProofOut]


class ReceiptQuery(Schema):
    prefix: str = Field(pattern="^[0-9a-f]{1,16}$")


def _poll_out(poll: Poll, voted: set[int] | None) -> PollOut:
    return PollOut(
        id=poll.pk,
        kind=poll.kind,
        title=poll.title,
        description=poll.description,
        status=poll.status,
        opens_at=poll.opens_at,
        closes_at=poll.closes_at,
        live_results=poll.live_results,
        binding=poll.binding,
        min_level=poll.min_level,
        questions=[
            QuestionOut(
                id=q.pk,
                text=q.text,
                kind=q.kind,
                max_choices=q.max_choices,
                allow_other=q.allow_other,
                options=[OptionOut(id=o.pk, text=o.text) for o in q.options.all()],
            )
            for q in poll.questions.all()
        ],
        has_voted=(poll.pk in voted) if voted is not None else None,
        ballot_count=poll.ballot_count,
        merkle_root=poll.merkle_root,
    )


@router.get(
    "/polls", response=PollPageOut, auth=public_or_signed_in, summary="Polls (open ones for me, or by status)"
)
@decorate_view(public_cache)
def list_polls(request: HttpRequest, query: Query[PollQuery]) -> PollPageOut:
    user = request.user
    signed_in = bool(getattr(user, "is_authenticated", False))
    if query.status in (None, "mine") and signed_in:
        page = selectors.page_of(selectors.open_polls_list_for(user), query.page)
    else:
        polls = selectors.public_polls(None if query.status == "mine" else query.status)
        page = selectors.paginate(selectors._with_questions(polls), query.page)
    voted = selectors.voted_poll_ids(user, [p.pk for p in page.polls]) if signed_in else None
    return PollPageOut(
        polls=[_poll_out(p, voted) for p in page.polls], page=page.number, has_next=page.has_next
    )


@router.get(
    "/polls/{poll_id}", response=PollOut, auth=public_or_signed_in, summary="A poll with its questions"
)
def get_poll(request: HttpRequest, poll_id: int) -> PollOut:
    poll = selectors.poll_get(request.user, poll_id)
    voted = selectors.voted_poll_ids(request.user, [poll.pk]) if request.user.is_authenticated else None
    return _poll_out(poll, voted)


@router.post(
    "/polls/{poll_id}/ballot",
    response={201: ReceiptOut},
    summary="Cast my ballot (final); returns the receipt code once",
    description=(
        "A retry with the same Idempotency-Key replays the answer with an empty code and "
        "receipt_hash: the receipt is never stored next to the resident."
    ),
)
def post_ballot(request: HttpRequest, poll_id: int, body: BallotIn) -> HttpResponse:
    receipt = services.ballot_cast(
        poll_id=poll_id,
        resident=resident_of(request),
        answers=[
            rules.Answer(question_id=a.question_id, option_ids=tuple(a.option_ids), other=a.other)
            for a in body.answers
        ],
    )
    # The API's busiest write answers its four plain fields as JSON itself, as ninja would
    # render ReceiptOut (still the documented schema, pinned by a test): ninja's validation of
    # our own answer cost ~40 µs of each ballot's CPU.
    answer = {
        "poll_id": receipt.poll_id,
        "code": receipt.code,
        "receipt_hash": receipt.receipt_hash,
        "points": receipt.points,
    }
    response = HttpResponse(json.dumps(answer), status=201, content_type="application/json; charset=utf-8")
    # A retry with the same Idempotency-Key gets this answer without the receipt: the key's
    # record names the resident, and must not keep what leads to their ballot (ADR 0003).
    response.idempotency_replay = json.dumps({**answer, "code": "", "receipt_hash": ""}).encode()  # type: ignore[attr-defined]
    return response


@router.get("/polls/{poll_id}/results", response=ResultsOut, auth=public_or_signed_in, summary="Results")
@decorate_view(public_document(selectors.RESULTS, readers=True))
def get_results(request: HttpRequest, poll_id: int) -> HttpResponse:
    # Who may read is checked per request (the poll's row, and for live results whether this
    # resident has voted); the document is the same for every reader allowed to see it, so it
    # is rendered once per version of the results scope (bumped by status moves, moderation
    # and each mixed batch of a live poll), language and process (issue 29).
    poll = selectors.poll_row(request.user, poll_id)
    selectors.results_gate(request.user, poll)
    body = shared_cache.remember(
        selectors.RESULTS, ("results", poll.pk), lambda: _results_body(request.user, poll)
    )
    return HttpResponse(body, content_type="application/json; charset=utf-8")


def _results_body(user: Any, poll: Poll) -> bytes:
    results = selectors.results_of(user, poll)
    document = ResultsOut(
        poll_id=poll.pk,
        status=poll.status,
        final=poll.results is not None,
        merkle_root=poll.merkle_root,
        other_answers=[mask_contacts(a.text) for a in selectors.approved_other_answers(poll)],
        **results,
    )
    return json.dumps(document.model_dump(mode="json")).encode()


@router.get(
    "/polls/{poll_id}/receipts",
    response=ReceiptProofsOut,
    auth=public_or_signed_in,
    summary="Inclusion proofs of the receipts around a prefix of a receipt's leaf",
    description=(
        "The browser computes its receipt's leaf, SHA-256(0x00 || 'receipt|' + SHA-256(code)), and "
        "asks with its first few hex digits only; the answer proves every receipt leaf of the aligned "
        "blocks of 16 around that prefix, so neither the request nor a log of it points at one "
        "receipt. No choices are returned: a receipt proves its ballot was counted, not how it voted."
    ),
)
def get_receipts(request: HttpRequest, poll_id: int, query: Query[ReceiptQuery]) -> ReceiptProofsOut:
    poll = selectors.poll_get(request.user, poll_id)
    found = tally.receipt_proofs(poll, query.prefix)
    return ReceiptProofsOut(
        poll_id=found.poll_id,
        leaf_count=found.leaf_count,
        root=found.root,
        receipts=[
            ReceiptProofOut(
                leaf=leaf,
                index=index,
                steps=[ProofStepOut(sibling=s, sibling_is_left=left) for s, left in steps],
            )
            for leaf, index, steps in found.entries
        ],
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def ballot_csv_lines(poll: Poll) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(["receipt_hash", "choices"])
    for receipt_hash, choices in tally.ballot_rows(poll):
        yield writer.writerow([receipt_hash, choices])


@router.get(
    "/polls/{poll_id}/ballots.csv",
    auth=public_or_signed_in,
    summary="Anonymised receipts and ballots, unpaired, to recompute tally and root",
)
def get_ballots_csv(request: HttpRequest, poll_id: int) -> StreamingHttpResponse:
    poll = selectors.poll_get(request.user, poll_id)
    if not permissions.ballots_downloadable(poll):
        raise errors.ResultsNotAvailable(poll_id=poll.pk)
    response = StreamingHttpResponse(ballot_csv_lines(poll), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="poll-{poll.pk}-ballots.csv"'
    return response


class PollCloseIn(Schema):
    reason: str = Field(max_length=255, pattern=NON_BLANK, description="Why the poll closes now (audited)")
    confirm: Literal[True] = Field(
        description="true: I understand that voting stops for everyone and the poll cannot be reopened"
    )


class PollPublishIn(Schema):
    confirm: Literal[True] = Field(
        description="true: I understand that the results become public and cannot be withdrawn"
    )


def _managed_poll(request: HttpRequest, poll_id: int) -> Poll:
    """Operators only; the explicit confirmation is the body's (confirm must be true, 422 otherwise)."""
    if not permissions.may_manage_polls(resident_of(request)):
        raise PermissionDenied()
    poll = Poll.objects.filter(pk=poll_id).first()
    if poll is None:
        raise errors.PollNotFound()
    return poll


def _staff_poll_out(poll_id: int) -> PollOut:
    return _poll_out(Poll.objects.prefetch_related("questions__options").get(pk=poll_id), None)


@router.post(
    "/polls/{poll_id}/close",
    response=PollOut,
    summary="Operators: close an open poll now (early), counted at once; irreversible, so it needs a "
    "reason and confirm=true; a poll no longer open answers 409",
)
def post_poll_close(request: HttpRequest, poll_id: int, body: PollCloseIn) -> PollOut:
    poll = _managed_poll(request, poll_id)
    services.poll_close(poll_id=poll.pk, actor=resident_of(request), reason=body.reason.strip())
    return _staff_poll_out(poll.pk)


@router.post(
    "/polls/{poll_id}/publish",
    response=PollOut,
    summary="Operators: publish a closed poll's results; irreversible, so it needs confirm=true; "
    "a poll not closed (or already published) answers 409",
)
def post_poll_publish(request: HttpRequest, poll_id: int, body: PollPublishIn) -> PollOut:
    poll = _managed_poll(request, poll_id)
    services.poll_results_publish(
        poll_id=poll.pk, actor=resident_of(request), reason="confirmed through the API"
    )
    return _staff_poll_out(poll.pk)


class DecisionQuery(Schema):
    district: int | None = Field(None, ge=1)
    year: int | None = Field(None, ge=2000, le=2100)
    status: str | None = Field(None, pattern="^(planned|in_progress|done|cancelled)$")
    poll: int | None = Field(None, ge=1)


@router.get("/decisions", auth=None, summary="Decisions as a GeoJSON FeatureCollection")
def get_decisions(request: HttpRequest, query: Query[DecisionQuery]) -> dict:
    found = selectors.decisions(
        district_id=query.district, year=query.year, status=query.status, poll_id=query.poll
    )
    return selectors.decisions_geojson(found[:2000])


# The sub-domains' endpoints hang under this router (the order is the schema's order).
router.add_router("", ratings_router)
router.add_router("", quizzes_router)
router.add_router("", quests_router)
router.add_router("", discussions_router)
router.add_router("", contests_router)
router.add_router("", budgets_router)
router.add_router("", decisions_router)
