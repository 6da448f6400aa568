"""Writes for photo contests: operators create contests and mark winners; residents send photos
inside the upload window and vote inside the voting window; moderators publish or reject photos.

Points (rule ``photo_contest`` of Active Citizen, per-contest cap clamped by the ledger):
taking part earns the rule's amount once per contest when the resident's first photo is
published; a winning photo earns the contest's ``winner_points``. Both share the cap scope
``photo_contest:<contest>``, so a resident never earns more than the cap in one contest.
Voting: one vote per photo per resident; a resident may vote for several photos, never their own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import IO

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from gorod.accounts import moderation
from gorod.accounts.models import Resident
from gorod.accounts.services import audit_record
from gorod.core import images
from gorod.core.messages import Message
from gorod.notifications import services as notifications
from gorod.points import services as points_services
from gorod.voting.contests import errors, photos
from gorod.voting.contests.models import ContestPhoto, PhotoContest, PhotoStatus, PhotoVote
from gorod.voting.contests.rules import cap_scope, check_may_upload

PROGRAMME = "active_citizen"
ACTION = "photo_contest"
MAX_ENTRIES = 3  # photos per resident per contest (rejected ones do not count)
REASON_MAX = 255
MODERATION = moderation.Moderation(
    publish_action="voting.contest_photo_publish",
    reject_action="voting.contest_photo_reject",
    reason_field="reject_reason",
    reason_max=REASON_MAX,
)


def contest_create(
    *,
    title: str,
    theme: str,
    uploads_open_at: dt.datetime,
    uploads_close_at: dt.datetime,
    voting_open_at: dt.datetime,
    voting_close_at: dt.datetime,
    actor: Resident,
    winner_points: int = 1000,
    published: bool = True,
) -> PhotoContest:
    if not title.strip() or not theme.strip():
        raise errors.ContestTitleRequired(field="title")
    if not (
        uploads_open_at < uploads_close_at
        and voting_open_at < voting_close_at
        and voting_open_at >= uploads_open_at
        and voting_close_at >= uploads_close_at
    ):
        raise errors.ContestWindowsInvalid(field="voting_close_at")
    with transaction.atomic():
        contest = PhotoContest.objects.create(
            title=title.strip()[:200],
            theme=theme.strip(),
            uploads_open_at=uploads_open_at,
            uploads_close_at=uploads_close_at,
            voting_open_at=voting_open_at,
            voting_close_at=voting_close_at,
            winner_points=max(0, int(winner_points)),
            published=published,
            created_by=actor,
        )
        audit_record(actor=actor, action="voting.contest_create", target=contest)
    return contest


def _contest(contest_id: int) -> PhotoContest:
    contest = PhotoContest.objects.filter(pk=contest_id, published=True).first()
    if contest is None:
        raise errors.ContestNotFound(contest_id=contest_id)
    return contest


def photo_submit(
    *, contest_id: int, resident: Resident, upload: IO[bytes], size: int | None = None, title: str = ""
) -> ContestPhoto:
    """Send a photo inside the upload window; it waits for moderation. Refused uploads store nothing."""
    contest = _contest(contest_id)
    check_may_upload(contest, timezone.now())
    clean = photos.check_photo(upload, size=size)
    with images.kept_only_if_committed() as written, transaction.atomic(durable=True):
        # The resident's row serialises their own entries, so the limit holds under races.
        Resident.objects.select_for_update().filter(pk=resident.pk).first()
        sent = (
            ContestPhoto.objects.filter(contest=contest, author=resident)
            .exclude(status=PhotoStatus.REJECTED)
            .count()
        )
        if sent >= MAX_ENTRIES:
            raise errors.EntryLimitReached(contest_id=contest.pk, maximum=MAX_ENTRIES)
        entry = ContestPhoto.objects.create(
            contest=contest,
            author=resident,
            district_id=resident.home_district_id,
            title=(title or "").strip()[:120],
            file=images.store_image(clean, folder=photos.FOLDER, written=written),
            content_type=clean.content_type,
            width=clean.width,
            height=clean.height,
            size=len(clean.content),
        )
    return entry


@transaction.atomic(durable=True)
def photo_moderate(
    *, photo_id: int, moderator: Resident, publish: bool, reason: str = ""
) -> tuple[ContestPhoto, int]:
    """Publish a photo (its author earns the taking-part points once per contest) or reject it
    with a reason the author sees. Returns the photo and the points granted."""
    reason = moderation.reason_for(
        publish, reason, spec=MODERATION, required=lambda: errors.PhotoRejectReasonRequired(field="reason")
    )
    photo = (
        ContestPhoto.objects.select_for_update(of=("self",))
        .select_related("contest", "author")
        .filter(pk=photo_id)
        .first()
    )
    if photo is None:
        raise errors.PhotoNotFound(photo_id=photo_id)
    moderation.decide(
        photo,
        spec=MODERATION,
        publish=publish,
        moderator=moderator,
        reason=reason,
        not_pending=lambda: errors.PhotoAlreadyModerated(photo_id=photo_id),
    )
    points = 0
    if publish:
        award = points_services.award(
            resident=photo.author,
            programme=PROGRAMME,
            action=ACTION,
            source_key=f"photo_contest:{photo.contest_id}:{photo.author_id}:entry",
            cap_scope=cap_scope(photo.contest_id),
            actor=moderator,
        )
        points = 0 if award.replayed else award.amount  # taking part pays once per contest
    title = Message(
        gettext_noop("Your photo for “%(contest)s” is published.")
        if publish
        else gettext_noop("Your photo for “%(contest)s” was not published."),
        contest=photo.contest.title,
    )
    notifications.notify(
        resident_ids=[photo.author_id],
        kind="photo_contest",
        event_key=f"contest:photo:{photo.pk}:moderated",
        title=title,
        body=reason,
        url=reverse("voting:contest", args=[photo.contest_id]),
    )
    return photo, points


@transaction.atomic(durable=True)
def photo_vote(*, photo_id: int, resident: Resident) -> PhotoVote:
    photo = (
        ContestPhoto.objects.select_related("contest").filter(pk=photo_id, contest__published=True).first()
    )
    if photo is None or photo.status != PhotoStatus.PUBLISHED:
        raise errors.PhotoNotFound(photo_id=photo_id)
    now = timezone.now()
    if now < photo.contest.voting_open_at:
        raise errors.VotingNotOpen(contest_id=photo.contest_id)
    if now >= photo.contest.voting_close_at:
        raise errors.VotingClosed(contest_id=photo.contest_id)
    if photo.author_id == resident.pk:
        raise errors.OwnPhoto(photo_id=photo_id)
    try:
        with transaction.atomic():
            return PhotoVote.objects.create(contest_id=photo.contest_id, photo=photo, resident=resident)
    except IntegrityError:
        raise errors.AlreadyVotedForPhoto(photo_id=photo_id) from None


@transaction.atomic(durable=True)
def contest_winners_mark(*, contest_id: int, photo_ids: Sequence[int], actor: Resident) -> dict[int, int]:
    """Mark the winning photos once voting has ended (once per contest) and award their authors
    the contest's winner points, clamped by the per-contest cap. Returns points per photo."""
    contest = PhotoContest.objects.select_for_update().filter(pk=contest_id).first()
    if contest is None:
        raise errors.ContestNotFound(contest_id=contest_id)
    if timezone.now() < contest.voting_close_at:
        raise errors.VotingNotFinished(contest_id=contest_id)
    if contest.winners_marked_at is not None:
        raise errors.WinnersAlreadyMarked(contest_id=contest_id)
    wanted = sorted(set(photo_ids))
    winners = list(
        ContestPhoto.objects.select_related("author")
        .filter(contest=contest, pk__in=wanted, status=PhotoStatus.PUBLISHED)
        .order_by("pk")
    )
    if not wanted or len(winners) != len(wanted):
        raise errors.WinnerInvalid(field="photo_ids")
    ContestPhoto.objects.filter(pk__in=wanted).update(is_winner=True)
    contest.winners_marked_at = timezone.now()
    contest.save(update_fields=["winners_marked_at"])
    audit_record(actor=actor, action="voting.contest_winners_mark", target=contest, after={"photos": wanted})
    granted = {}
    for photo in winners:
        granted[photo.pk] = (
            points_services.award(
                resident=photo.author,
                programme=PROGRAMME,
                action=ACTION,
                source_key=f"photo_contest:{contest.pk}:{photo.author_id}:win:{photo.pk}",
                amount=contest.winner_points,
                cap_scope=cap_scope(contest.pk),
                actor=actor,
            ).amount
            if contest.winner_points > 0
            else 0
        )
    notifications.notify(
        resident_ids=[photo.author_id for photo in winners],
        kind="photo_contest",
        event_key=f"contest:{contest.pk}:winners",
        title=Message(gettext_noop("Your photo won the contest “%(contest)s”."), contest=contest.title),
        url=reverse("voting:contest", args=[contest.pk]),
    )
    return granted
