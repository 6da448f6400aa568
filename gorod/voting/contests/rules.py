"""Pure rules of photo contests: the phases of the upload and voting windows, the ledger cap scope."""

from __future__ import annotations

import datetime as dt

from gorod.voting.contests import errors
from gorod.voting.contests.models import PhotoContest

UPCOMING, UPLOADS, VOTING, JUDGING, FINISHED = "upcoming", "uploads", "voting", "judging", "finished"


def cap_scope(contest_id: int) -> str:
    return f"photo_contest:{contest_id}"


def uploads_open(contest: PhotoContest, now: dt.datetime) -> bool:
    return contest.uploads_open_at <= now < contest.uploads_close_at


def voting_open(contest: PhotoContest, now: dt.datetime) -> bool:
    return contest.voting_open_at <= now < contest.voting_close_at


def phase_of(contest: PhotoContest, now: dt.datetime) -> str:
    if now < contest.uploads_open_at:
        return UPCOMING
    if now < contest.voting_close_at:
        return UPLOADS if not voting_open(contest, now) else VOTING
    return FINISHED if contest.winners_marked_at else JUDGING


def check_may_upload(contest: PhotoContest, now: dt.datetime) -> None:
    if now < contest.uploads_open_at:
        raise errors.UploadsNotOpen(contest_id=contest.pk)
    if now >= contest.uploads_close_at:
        raise errors.UploadsClosed(contest_id=contest.pk)
