"""/api/v1/discussions: public discussions of city projects (mounted by gorod/voting/api.py).

Public answers never name a commenter: a comment carries only the district of its author."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import Field

from gorod.accounts.auth import public_or_signed_in
from gorod.accounts.edge import resident_of
from gorod.core.api_fields import NON_BLANK
from gorod.core.errors import PermissionDenied
from gorod.voting import permissions
from gorod.voting.discussions import rules as discussion_rules
from gorod.voting.discussions import selectors as selectors_discussions
from gorod.voting.discussions import services as services_discussions
from gorod.voting.discussions.models import Discussion

router = Router(tags=["active citizen"])


class DistrictOut(Schema):
    id: int
    name: str


class DocumentOut(Schema):
    id: int
    title: str
    content_type: str
    size: int
    url: str


class DiscussionOut(Schema):
    id: int
    title: str
    description: str
    phase: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    location: dict[str, Any] | None
    districts: list[DistrictOut]
    documents: list[DocumentOut]
    published_comments: int


class CommentOut(Schema):
    id: int
    district: str
    text: str
    written_at: dt.datetime
    response: str
    responded_at: dt.datetime | None


class DiscussionCommentIn(Schema):
    text: str = Field(max_length=2000, pattern=NON_BLANK)


class MyCommentOut(Schema):
    id: int
    status: str
    text: str
    reject_reason: str
    response: str
    written_at: dt.datetime


class ModerateIn(Schema):
    publish: bool
    reason: str = Field("", max_length=1000)


class RespondIn(Schema):
    response: str = Field(max_length=20_000)


class DiscussionReportOut(Schema):
    discussion: DiscussionOut
    comments: list[CommentOut]


def _discussion_out(discussion: Discussion, published: int) -> DiscussionOut:
    return DiscussionOut(
        id=discussion.pk,
        title=discussion.title,
        description=discussion.description,
        phase=discussion_rules.phase_of(discussion, timezone.now()),
        opens_at=discussion.opens_at,
        closes_at=discussion.closes_at,
        location=discussion.location,
        districts=[DistrictOut(id=d.pk, name=d.name) for d in discussion.districts.all()],
        documents=[
            DocumentOut(
                id=doc.pk,
                title=doc.title,
                content_type=doc.content_type,
                size=doc.size,
                url=reverse("voting:discussion_document", args=[discussion.pk, doc.pk]),
            )
            for doc in discussion.documents.all()
        ],
        published_comments=published,
    )


def _comment_out(comment: selectors_discussions.PublicComment) -> CommentOut:
    return CommentOut(**comment.__dict__)


def _my_comment_out(comment: Any) -> MyCommentOut:
    return MyCommentOut(
        id=comment.pk,
        status=comment.status,
        text=comment.text,
        reject_reason=comment.reject_reason,
        response=comment.response,
        written_at=comment.created_at,
    )


@router.get(
    "/discussions",
    response=list[DiscussionOut],
    auth=None,
    summary="Public discussions of city projects",
    operation_id="gorod_voting_api_discussions_list_discussions",
)
def list_discussions(request: HttpRequest) -> list[DiscussionOut]:
    rows = selectors_discussions.public_discussions().prefetch_related("documents")[:100]
    return [_discussion_out(d, d.published_comments) for d in rows]  # type: ignore[attr-defined]


@router.get(
    "/discussions/{discussion_id}",
    response=DiscussionOut,
    auth=public_or_signed_in,
    summary="A public discussion",
    operation_id="gorod_voting_api_discussions_get_discussion",
)
def get_discussion(request: HttpRequest, discussion_id: int) -> DiscussionOut:
    discussion = selectors_discussions.discussion_get(request.user, discussion_id)
    comments = selectors_discussions.published_comments(discussion.pk)
    return _discussion_out(discussion, len(comments))


@router.get(
    "/discussions/{discussion_id}/comments",
    response=list[CommentOut],
    auth=public_or_signed_in,
    summary="Published comments with the city's responses (no names)",
    operation_id="gorod_voting_api_discussions_list_comments",
)
def list_comments(request: HttpRequest, discussion_id: int) -> list[CommentOut]:
    discussion = selectors_discussions.discussion_get(request.user, discussion_id)
    return [_comment_out(c) for c in selectors_discussions.published_comments(discussion.pk)]


@router.post(
    "/discussions/{discussion_id}/comments",
    response={201: MyCommentOut},
    summary="Comment on a project (residents of the affected districts, inside the window)",
    operation_id="gorod_voting_api_discussions_post_comment",
)
def post_comment(request: HttpRequest, discussion_id: int, body: DiscussionCommentIn) -> Status[MyCommentOut]:
    comment = services_discussions.comment_submit(
        discussion_id=discussion_id,
        resident=resident_of(request),
        text=body.text,
    )
    return Status(201, _my_comment_out(comment))


@router.get(
    "/discussions/{discussion_id}/comments/mine",
    response=list[MyCommentOut],
    summary="My comments with their moderation status and any rejection reason",
    operation_id="gorod_voting_api_discussions_my_comments",
)
def my_comments(request: HttpRequest, discussion_id: int) -> list[MyCommentOut]:
    discussion = selectors_discussions.discussion_get(request.user, discussion_id)
    return [_my_comment_out(c) for c in selectors_discussions.my_comments(request.user, discussion.pk)]


@router.get(
    "/discussions/{discussion_id}/report",
    response=DiscussionReportOut,
    auth=public_or_signed_in,
    summary="The final report: every published comment with its response (after the window)",
    operation_id="gorod_voting_api_discussions_get_report",
)
def get_report(request: HttpRequest, discussion_id: int) -> DiscussionReportOut:
    discussion, comments = selectors_discussions.report_of(request.user, discussion_id)
    return DiscussionReportOut(
        discussion=_discussion_out(discussion, len(comments)), comments=[_comment_out(c) for c in comments]
    )


@router.post(
    "/discussions/comments/{comment_id}/moderation",
    response=MyCommentOut,
    summary="Publish or reject a comment (moderators)",
    operation_id="gorod_voting_api_discussions_moderate_comment",
)
def moderate_comment(request: HttpRequest, comment_id: int, body: ModerateIn) -> MyCommentOut:
    if not permissions.may_moderate(request.user):
        raise PermissionDenied()
    comment = services_discussions.comment_moderate(
        comment_id=comment_id,
        moderator=resident_of(request),
        publish=body.publish,
        reason=body.reason,
    )
    return _my_comment_out(comment)


@router.post(
    "/discussions/comments/{comment_id}/response",
    response=MyCommentOut,
    summary="The city's response to a published comment (operators)",
    operation_id="gorod_voting_api_discussions_respond_comment",
)
def respond_comment(request: HttpRequest, comment_id: int, body: RespondIn) -> MyCommentOut:
    if not permissions.may_manage_polls(request.user):
        raise PermissionDenied()
    comment = services_discussions.comment_respond(
        comment_id=comment_id,
        operator=resident_of(request),
        text=body.response,
    )
    return _my_comment_out(comment)
