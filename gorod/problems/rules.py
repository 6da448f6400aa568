"""Pure rules of Our City (no ORM): the report state machine, seasons, text, deadlines, windows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings

from gorod.core import privacy_text
from gorod.core import time as city_time
from gorod.problems.errors import IllegalTransition, TextTooShort

# Statuses (the same strings as models.ReportStatus; kept here so the rules stay ORM-free).
SUBMITTED = "submitted"
MODERATION = "moderation"
REJECTED = "rejected"
IN_WORK = "in_work"
ANSWER_MODERATION = "answer_moderation"
ANSWERED = "answered"
CLOSED = "closed"
ESCALATED = "escalated"

OPEN_STATUSES = frozenset({MODERATION, IN_WORK, ANSWER_MODERATION, ANSWERED, ESCALATED})
PUBLIC_STATUSES = frozenset({IN_WORK, ANSWER_MODERATION, ANSWERED, CLOSED, ESCALATED})
DEADLINE_STATUSES = frozenset({IN_WORK, ANSWER_MODERATION})

# (state, action) -> next state. Anything not listed is an illegal transition.
TRANSITIONS: dict[tuple[str, str], str] = {
    (SUBMITTED, "submit"): MODERATION,
    (MODERATION, "reject"): REJECTED,
    (MODERATION, "accept"): IN_WORK,
    (IN_WORK, "reroute"): IN_WORK,
    (ESCALATED, "reroute"): IN_WORK,
    (IN_WORK, "answer"): ANSWER_MODERATION,
    (ANSWER_MODERATION, "approve_answer"): ANSWERED,
    (ANSWER_MODERATION, "return_answer"): IN_WORK,
    (ANSWERED, "confirm"): CLOSED,
    (ANSWERED, "refute"): IN_WORK,
    (ANSWERED, "refute_over_limit"): ESCALATED,
    (ANSWERED, "window_expire"): CLOSED,
    (ESCALATED, "operator_close"): CLOSED,
}


def next_status(current: str, action: str) -> str:
    """The state after ``action``, or IllegalTransition with the pair that was refused."""
    try:
        return TRANSITIONS[(current, action)]
    except KeyError:
        raise IllegalTransition(status=current, action=action) from None


# Seasons: winter topics (snow, ice) are offered from November to March, summer ones the rest.
WINTER_MONTHS = frozenset({11, 12, 1, 2, 3})


def season_of(day: dt.date) -> str:
    return "winter" if day.month in WINTER_MONTHS else "summer"


def topic_in_season(topic_season: str, day: dt.date) -> bool:
    return topic_season == "all_year" or topic_season == season_of(day)


# Text: long enough to act on; contacts are masked so the public text carries no personal data.
MIN_TEXT_LENGTH = 20
MAX_TEXT_LENGTH = 3000
MASK = privacy_text.MASK


def clean_text(text: str, *, minimum: int = MIN_TEXT_LENGTH, field: str = "text") -> str:
    """The text as stored: stripped, contacts masked, long enough once masked."""
    masked = privacy_text.mask_contacts((text or "").strip()).strip()
    meaningful = masked.replace(MASK, "").strip()
    if len(meaningful) < minimum:
        raise TextTooShort(field=field, minimum=minimum, length=len(meaningful))
    return masked[:MAX_TEXT_LENGTH]


# Deadlines: working days on the Russian calendar plus operator-entered moved days.
def deadline_from(
    start: dt.date,
    days: int,
    *,
    extra_days_off: Iterable[dt.date] = (),
    extra_working_days: Iterable[dt.date] = (),
) -> dt.date:
    """The last day of the deadline: ``days`` working days after ``start`` (not counted)."""
    return city_time.add_working_days(
        start, days, extra_days_off=extra_days_off, extra_working_days=extra_working_days
    )


def is_overdue(deadline: dt.date | None, today: dt.date) -> bool:
    return deadline is not None and today > deadline


# Settings with defaults (operators may change them by environment through settings).
def rating_window_days() -> int:
    return int(getattr(settings, "PROBLEMS_RATING_WINDOW_DAYS", 15))


def reopen_limit() -> int:
    """How many times a report may be reopened by refutation before it goes to an operator."""
    return int(getattr(settings, "PROBLEMS_REOPEN_LIMIT", 3))


def daily_report_limit() -> int:
    return int(getattr(settings, "PROBLEMS_DAILY_REPORT_LIMIT", 10))


DUPLICATE_RADIUS_M = 250
MAX_PHOTOS = 5
MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PHOTO_PIXELS = 40_000_000
PHOTO_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


def rating_window_open(answered_at: dt.datetime | None, now: dt.datetime) -> bool:
    return answered_at is not None and now <= answered_at + dt.timedelta(days=rating_window_days())


def check_score(score: int) -> None:
    from gorod.problems.errors import BadScore

    if not isinstance(score, int) or isinstance(score, bool) or not 1 <= score <= 5:
        raise BadScore(field="score")
