"""Reads for photo contests. Public reads show a photo's district, never its author, and titles
without contacts; vote counts are shown once voting has ended (so early counts do not steer it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from gorod.core.privacy_text import mask_contacts
from gorod.voting import permissions
from gorod.voting.contests import errors
from gorod.voting.contests.models import ContestPhoto, PhotoContest, PhotoStatus, PhotoVote


@dataclass(frozen=True)
class PublicPhoto:
    id: int
    title: str
    district: str
    width: int
    height: int
    votes: int | None
    is_winner: bool


def public_contests() -> QuerySet[PhotoContest]:
    return (
        PhotoContest.objects.filter(published=True)
        .annotate(published_photos=Count("photos", filter=Q(photos__status=PhotoStatus.PUBLISHED)))
        .order_by("-voting_close_at", "-pk")
    )


def contest_get(user: Any, contest_id: int) -> PhotoContest:
    contest = PhotoContest.objects.filter(pk=contest_id).first()
    if contest is None or not (contest.published or permissions.may_manage_polls(user)):
        raise errors.ContestNotFound(contest_id=contest_id)
    return contest


def published_photos(contest: PhotoContest) -> list[PublicPhoto]:
    show_votes = timezone.now() >= contest.voting_close_at
    rows = (
        ContestPhoto.objects.filter(contest=contest, status=PhotoStatus.PUBLISHED)
        .select_related("district")
        .annotate(vote_count=Count("votes"))
        .order_by("-is_winner", "created_at", "pk")
    )
    if show_votes:
        rows = rows.order_by("-is_winner", "-vote_count", "created_at", "pk")
    return [
        PublicPhoto(
            id=p.pk,
            title=mask_contacts(p.title),
            district=p.district.name if p.district else "",
            width=p.width,
            height=p.height,
            votes=p.vote_count if show_votes else None,
            is_winner=p.is_winner,
        )
        for p in rows
    ]


def my_photos(user: Any, contest_id: int) -> list[ContestPhoto]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        ContestPhoto.objects.filter(contest_id=contest_id, author_id=user.pk).order_by("-created_at", "-pk")
    )


def voted_photo_ids(user: Any, contest_id: int) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(
        PhotoVote.objects.filter(contest_id=contest_id, resident_id=user.pk).values_list(
            "photo_id", flat=True
        )
    )


def moderation_queue() -> QuerySet[ContestPhoto]:
    return (
        ContestPhoto.objects.filter(status=PhotoStatus.PENDING)
        .select_related("contest", "district")
        .order_by("created_at", "pk")
    )


def contests_to_judge() -> list[tuple[PhotoContest, list[PublicPhoto]]]:
    """Contests whose voting has ended and whose winners are not marked yet, with their photos."""
    contests = PhotoContest.objects.filter(
        voting_close_at__lte=timezone.now(), winners_marked_at__isnull=True
    ).order_by("voting_close_at", "pk")[:20]
    return [(contest, published_photos(contest)) for contest in contests]


def photo_visible(user: Any, photo: ContestPhoto) -> bool:
    """Published photos are public; others only for their author and moderators."""
    if photo.status == PhotoStatus.PUBLISHED and photo.contest.published:
        return True
    return bool(getattr(user, "is_authenticated", False)) and (
        photo.author_id == user.pk or permissions.may_moderate(user)
    )
