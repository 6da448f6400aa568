"""Reads for public discussions. Public reads never carry the commenter's name or contacts:
a published comment is shown as written by "a resident of <district>"."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from gorod.accounts.models import Resident
from gorod.core.privacy_text import mask_contacts
from gorod.voting import permissions
from gorod.voting.discussions import errors
from gorod.voting.discussions.models import CommentStatus, Discussion, DiscussionComment
from gorod.voting.discussions.rules import FINISHED, UPCOMING, phase_of


@dataclass(frozen=True)
class PublicComment:
    """A published comment as anyone may see it: no author, only the district, contacts masked."""

    id: int
    district: str
    text: str
    written_at: Any
    response: str
    responded_at: Any


def public_discussions() -> QuerySet[Discussion]:
    return (
        Discussion.objects.filter(published=True)
        .prefetch_related("districts")
        .annotate(published_comments=Count("comments", filter=Q(comments__status=CommentStatus.PUBLISHED)))
        .order_by("-opens_at", "-pk")
    )


def discussion_get(user: Any, discussion_id: int) -> Discussion:
    discussion = (
        Discussion.objects.prefetch_related("districts", "documents").filter(pk=discussion_id).first()
    )
    if discussion is None or not (discussion.published or permissions.may_manage_polls(user)):
        raise errors.DiscussionNotFound(discussion_id=discussion_id)
    return discussion


def published_comments(discussion_id: int) -> list[PublicComment]:
    rows = (
        DiscussionComment.objects.filter(discussion_id=discussion_id, status=CommentStatus.PUBLISHED)
        .select_related("district")
        .order_by("created_at", "pk")
    )
    return [
        PublicComment(
            id=c.pk,
            district=c.district.name,
            text=mask_contacts(c.text),
            written_at=c.created_at,
            response=mask_contacts(c.response),
            responded_at=c.responded_at,
        )
        for c in rows
    ]


def my_comments(user: Any, discussion_id: int) -> list[DiscussionComment]:
    """The signed-in author's own comments with their status and any rejection reason."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        DiscussionComment.objects.filter(discussion_id=discussion_id, author_id=user.pk).order_by(
            "-created_at", "-pk"
        )[:50]
    )


def moderation_queue() -> QuerySet[DiscussionComment]:
    return (
        DiscussionComment.objects.filter(status=CommentStatus.PENDING)
        .select_related("discussion", "district")
        .order_by("created_at", "pk")
    )


def awaiting_response() -> QuerySet[DiscussionComment]:
    return (
        DiscussionComment.objects.filter(status=CommentStatus.PUBLISHED, response="")
        .select_related("discussion", "district")
        .order_by("created_at", "pk")
    )


def report_of(user: Any, discussion_id: int) -> tuple[Discussion, list[PublicComment]]:
    """The final report: every published comment with its response, once the window is over."""
    discussion = discussion_get(user, discussion_id)
    if phase_of(discussion, timezone.now()) != FINISHED:
        raise errors.ReportNotReady(discussion_id=discussion_id)
    return discussion, published_comments(discussion_id)


def _cell(text: str) -> str:
    """Spreadsheet programs run a cell that starts like a formula; a quote keeps it text."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def report_csv(discussion: Discussion, comments: list[PublicComment]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["number", "district", "written_at", "comment", "response", "responded_at"])
    for number, comment in enumerate(comments, start=1):
        writer.writerow(
            [
                number,
                _cell(comment.district),
                timezone.localtime(comment.written_at).isoformat(timespec="minutes"),
                _cell(comment.text),
                _cell(comment.response),
                timezone.localtime(comment.responded_at).isoformat(timespec="minutes")
                if comment.responded_at
                else "",
            ]
        )
    return out.getvalue()


def check_may_comment(discussion: Discussion, resident: Resident, now: dt.datetime) -> None:
    """Raise the refusal a resident would get for commenting now (the page shows it up front)."""
    phase = phase_of(discussion, now)
    if phase == UPCOMING:
        raise errors.DiscussionNotOpenYet(discussion_id=discussion.pk)
    if phase == FINISHED:
        raise errors.DiscussionClosed(discussion_id=discussion.pk)
    district_id = resident.home_district_id
    if district_id is None or not discussion.districts.filter(pk=district_id).exists():
        raise errors.DiscussionNotForYourDistrict(discussion_id=discussion.pk)
