"""Writes for public discussions: operators create projects and answer comments, residents of
the affected districts comment inside the window, moderators publish or reject comments."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from gorod.accounts import moderation
from gorod.accounts.models import District, Resident
from gorod.accounts.services import audit_record
from gorod.core.messages import Message
from gorod.notifications import services as notifications
from gorod.voting.decisions.rules import check_geometry
from gorod.voting.discussions import errors, selectors
from gorod.voting.discussions.models import CommentStatus, Discussion, DiscussionComment, DiscussionDocument
from gorod.voting.discussions.rules import (
    RESPONSE_MAX,
    CheckedDocument,
    clean_comment,
)

REASON_MAX = 255
MODERATION = moderation.Moderation(
    publish_action="voting.comment_publish",
    reject_action="voting.comment_reject",
    reason_field="reject_reason",
    reason_max=REASON_MAX,
)


def _store_documents(
    discussion: Discussion, documents: Sequence[CheckedDocument], written: list[str]
) -> None:
    for document in documents:
        name = default_storage.save(
            f"discussions/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{document.extension}",
            ContentFile(document.content),
        )
        written.append(name)
        DiscussionDocument.objects.create(
            discussion=discussion,
            title=document.title,
            file=name,
            content_type=document.content_type,
            size=len(document.content),
        )


def _discard(names: Iterable[str]) -> None:
    for name in names:
        default_storage.delete(name)


def discussion_create(
    *,
    title: str,
    description: str,
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    districts: Sequence[District],
    actor: Resident,
    location: dict[str, Any] | None = None,
    documents: Sequence[CheckedDocument] = (),
    published: bool = True,
) -> Discussion:
    """Create a project for discussion with its documents (checked before this call)."""
    if not title.strip() or not description.strip():
        raise errors.TitleRequired(field="title")
    if closes_at <= opens_at:
        raise errors.DiscussionWindowInvalid(field="closes_at")
    if not districts:
        raise errors.DistrictsRequired(field="districts")
    check_geometry(location)
    written: list[str] = []
    try:
        with transaction.atomic():
            discussion = Discussion.objects.create(
                title=title.strip()[:200],
                description=description.strip(),
                location=location,
                opens_at=opens_at,
                closes_at=closes_at,
                published=published,
                created_by=actor,
            )
            discussion.districts.set(districts)
            _store_documents(discussion, documents, written)
            audit_record(actor=actor, action="voting.discussion_create", target=discussion)
    except BaseException:
        _discard(written)
        raise
    return discussion


@transaction.atomic(durable=True)
def comment_submit(*, discussion_id: int, resident: Resident, text: str) -> DiscussionComment:
    """A resident of an affected district comments inside the window; moderation comes next."""
    discussion = Discussion.objects.filter(pk=discussion_id, published=True).first()
    if discussion is None:
        raise errors.DiscussionNotFound(discussion_id=discussion_id)
    clean = clean_comment(text)
    selectors.check_may_comment(discussion, resident, timezone.now())
    assert resident.home_district_id is not None  # checked just above
    return DiscussionComment.objects.create(
        discussion=discussion, author=resident, district_id=resident.home_district_id, text=clean
    )


def _locked_comment(comment_id: int) -> DiscussionComment:
    comment = (
        DiscussionComment.objects.select_for_update(of=("self",))
        .select_related("discussion")
        .filter(pk=comment_id)
        .first()
    )
    if comment is None:
        raise errors.CommentNotFound(comment_id=comment_id)
    return comment


@transaction.atomic(durable=True)
def comment_moderate(
    *, comment_id: int, moderator: Resident, publish: bool, reason: str = ""
) -> DiscussionComment:
    """Publish a pending comment, or reject it with a reason its author sees."""
    reason = moderation.reason_for(
        publish, reason, spec=MODERATION, required=lambda: errors.RejectReasonRequired(field="reason")
    )
    comment = _locked_comment(comment_id)
    moderation.decide(
        comment,
        spec=MODERATION,
        publish=publish,
        moderator=moderator,
        reason=reason,
        not_pending=lambda: errors.CommentAlreadyModerated(comment_id=comment_id),
    )
    title = Message(
        gettext_noop("Your comment on “%(title)s” is published.")
        if publish
        else gettext_noop("Your comment on “%(title)s” was not published."),
        title=comment.discussion.title,
    )
    notifications.notify(
        resident_ids=[comment.author_id],
        kind="discussion_comment",
        event_key=f"discussion:comment:{comment.pk}:moderated",
        title=title,
        body=reason,
        url=reverse("voting:discussion", args=[comment.discussion_id]),
    )
    return comment


@transaction.atomic(durable=True)
def comment_respond(*, comment_id: int, operator: Resident, text: str) -> DiscussionComment:
    """The city's response to a published comment (it may be corrected: the last one stands)."""
    response = (text or "").strip()
    if not response:
        raise errors.ResponseEmpty(field="response")
    if len(response) > RESPONSE_MAX:
        raise errors.CommentTooLong(field="response", maximum=RESPONSE_MAX)
    comment = _locked_comment(comment_id)
    if comment.status != CommentStatus.PUBLISHED:
        raise errors.CommentNotPublished(comment_id=comment_id)
    before = {"response": comment.response}
    comment.response = response
    comment.responded_by = operator
    comment.responded_at = timezone.now()
    comment.save(update_fields=["response", "responded_by", "responded_at"])
    audit_record(
        actor=operator,
        action="voting.comment_respond",
        target=comment,
        before=before,
        after={"response": response},
    )
    notifications.notify(
        resident_ids=[comment.author_id],
        kind="discussion_comment",
        event_key=f"discussion:comment:{comment.pk}:response:{comment.responded_at.timestamp():.0f}",
        title=Message(
            gettext_noop("The city answered your comment on “%(title)s”."), title=comment.discussion.title
        ),
        url=reverse("voting:discussion", args=[comment.discussion_id]),
    )
    return comment
