"""Simultaneous requests on PostgreSQL: one vote per photo, the entry limit and the per-contest
points cap hold under races."""

from __future__ import annotations

import io
import threading

import pytest

from conftest import postgres_only
from gorod.accounts.tests.factories import ResidentFactory
from gorod.points import selectors as points_selectors
from gorod.voting.contests import services
from gorod.voting.contests.models import ContestPhoto, PhotoVote
from gorod.voting.tests.conftest import at_once
from gorod.voting.tests.test_contests import jpeg, make_contest

pytestmark = [
    postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("points_defaults"),
]


def test_eight_simultaneous_votes_for_one_photo_count_once():
    operator = ResidentFactory(level="full", roles=["operator"], is_staff=True)
    contest = make_contest(operator)
    photo = services.photo_submit(
        contest_id=contest.pk, resident=ResidentFactory(), upload=io.BytesIO(jpeg())
    )
    services.photo_moderate(photo_id=photo.pk, moderator=operator, publish=True)
    voter = ResidentFactory()
    outcomes = at_once(8, lambda: services.photo_vote(photo_id=photo.pk, resident=voter))
    assert outcomes == ["ok"] + ["photo_already_voted"] * 7
    assert PhotoVote.objects.filter(photo=photo).count() == 1


def test_six_simultaneous_uploads_stop_at_the_entry_limit():
    operator = ResidentFactory(level="full", roles=["operator"], is_staff=True)
    contest = make_contest(operator)
    author = ResidentFactory()
    outcomes = at_once(
        6, lambda: services.photo_submit(contest_id=contest.pk, resident=author, upload=io.BytesIO(jpeg()))
    )
    assert outcomes == ["contest_entry_limit"] * 3 + ["ok"] * 3
    assert ContestPhoto.objects.filter(contest=contest, author=author).count() == services.MAX_ENTRIES


def test_simultaneous_publications_pay_taking_part_once():
    operator = ResidentFactory(level="full", roles=["operator"], is_staff=True)
    contest = make_contest(operator)
    author = ResidentFactory(level="standard")
    photos = [
        services.photo_submit(contest_id=contest.pk, resident=author, upload=io.BytesIO(jpeg()))
        for _ in range(3)
    ]
    pending = iter(photos)
    pick = threading.Lock()

    def publish() -> object:
        with pick:
            photo = next(pending)
        return services.photo_moderate(photo_id=photo.pk, moderator=operator, publish=True)

    assert at_once(3, publish) == ["ok"] * 3
    assert points_selectors.balance(author).balance == 100
