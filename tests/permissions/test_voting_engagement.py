"""Permission matrix of Active Citizen's quizzes, quests, public discussions and photo contests:
every role of the cast (staff of other tenants included) against each action, by HTTP."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from gorod.voting.contests import services as services_contests
from gorod.voting.contests.models import ContestPhoto, PhotoContest, PhotoStatus
from gorod.voting.discussions import services as services_discussions
from gorod.voting.discussions.models import CommentStatus, DiscussionComment
from gorod.voting.quests import services as services_quests
from gorod.voting.quests.services import QuestTaskSpec
from gorod.voting.quizzes.models import Quiz, QuizAttempt
from gorod.voting.tests.quiz_helpers import make_quiz, right_answers
from gorod.voting.tests.test_contests import jpeg
from tests.permissions.conftest import ROLES, Attempt, Cast, run_matrix

pytestmark = pytest.mark.django_db

SIGNED_IN = frozenset(ROLES) - {"anonymous"}
CITY_STAFF = frozenset({"operator", "admin"})
MODERATORS = frozenset({"moderator", "operator", "admin"})


def _discussion(cast: Cast) -> Any:
    now = timezone.now()
    return services_discussions.discussion_create(
        title="A new park on the embankment",
        description="Trees, paths and a playground where the car park is.",
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=10),
        districts=[cast.district],
        location={"type": "Point", "coordinates": [37.59, 55.75]},
        actor=cast.user("operator"),
    )


def _pending_comment(cast: Cast) -> DiscussionComment:
    return services_discussions.comment_submit(
        discussion_id=_discussion(cast).pk, resident=cast.user("resident"), text="More benches, please."
    )


def _published_comment(cast: Cast) -> DiscussionComment:
    comment = _pending_comment(cast)
    return services_discussions.comment_moderate(
        comment_id=comment.pk, moderator=cast.user("moderator"), publish=True, reason=""
    )


def _contest(cast: Cast) -> PhotoContest:
    now = timezone.now()
    return services_contests.contest_create(
        title="Autumn courtyards",
        theme="Courtyards in autumn.",
        uploads_open_at=now - dt.timedelta(days=1),
        uploads_close_at=now + dt.timedelta(days=5),
        voting_open_at=now - dt.timedelta(days=1),
        voting_close_at=now + dt.timedelta(days=7),
        actor=cast.user("operator"),
    )


def _pending_photo(cast: Cast) -> ContestPhoto:
    return services_contests.photo_submit(
        contest_id=_contest(cast).pk, resident=cast.user("resident"), upload=io.BytesIO(jpeg()), title=""
    )


def _finished_contest_photo(cast: Cast) -> ContestPhoto:
    """A published photo in a contest whose voting has just ended."""
    photo = _pending_photo(cast)
    services_contests.photo_moderate(
        photo_id=photo.pk, moderator=cast.user("moderator"), publish=True, reason=""
    )
    past = timezone.now() - dt.timedelta(minutes=1)
    PhotoContest.objects.filter(pk=photo.contest_id).update(
        uploads_open_at=past - dt.timedelta(days=4),
        uploads_close_at=past - dt.timedelta(days=2),
        voting_open_at=past - dt.timedelta(days=3),
        voting_close_at=past,
    )
    return photo


def _quest(cast: Cast) -> Any:
    return services_quests.quest_create(
        title="Discover the Arbat",
        published=True,
        tasks=[QuestTaskSpec(kind="code", title="Find the code", page_url="/voting/pulse/", code="TRAM-42")],
    )


def _post(client: Client, url: str, body: dict[str, Any]) -> int:
    return client.post(url, body, content_type="application/json").status_code


def _console_action(client: Client, changelist: str, action: str, pk: int) -> None:
    client.post(changelist, {"action": action, "_selected_action": [str(pk)], "index": "0"})


def attempts(cast: Cast) -> dict[str, tuple[Attempt, frozenset[str]]]:
    def quiz_attempt(client: Client, quiz: Quiz) -> bool:
        answers = [{"question_id": q, "option_ids": o} for q, o in right_answers(quiz).items()]
        return _post(client, f"/api/v1/quizzes/{quiz.pk}/attempt", {"answers": answers}) == 201

    def quiz_publish(client: Client, quiz: Quiz) -> bool:
        _console_action(client, "/console/voting/quiz/", "publish", quiz.pk)
        return Quiz.objects.get(pk=quiz.pk).status != "draft"

    def quest_task(client: Client, quest: Any) -> bool:
        task = quest.tasks.get()
        return _post(client, f"/api/v1/quests/{quest.pk}/tasks/{task.pk}", {"code": "TRAM-42"}) == 201

    def comment_post(client: Client, discussion: Any) -> bool:
        return (
            _post(client, f"/api/v1/discussions/{discussion.pk}/comments", {"text": "Keep the lime trees."})
            == 201
        )

    def comment_moderate(client: Client, comment: DiscussionComment) -> bool:
        _post(client, f"/api/v1/discussions/comments/{comment.pk}/moderation", {"publish": True})
        return DiscussionComment.objects.get(pk=comment.pk).status == CommentStatus.PUBLISHED

    def comment_respond(client: Client, comment: DiscussionComment) -> bool:
        url = f"/api/v1/discussions/comments/{comment.pk}/response"
        _post(client, url, {"response": "Benches are in the plan."})
        return bool(DiscussionComment.objects.get(pk=comment.pk).response)

    def photo_moderate(client: Client, photo: ContestPhoto) -> bool:
        _post(client, f"/api/v1/contests/photos/{photo.pk}/moderation", {"publish": True})
        return ContestPhoto.objects.get(pk=photo.pk).status == PhotoStatus.PUBLISHED

    def winners_mark(client: Client, photo: ContestPhoto) -> bool:
        _post(client, f"/api/v1/contests/{photo.contest_id}/winners", {"photo_ids": [photo.pk]})
        return PhotoContest.objects.get(pk=photo.contest_id).winners_marked_at is not None

    return {
        "quiz_attempt": (Attempt(make_quiz, quiz_attempt), SIGNED_IN),
        "quiz_console": (
            Attempt(
                lambda: None, lambda c, _: c.get("/console/voting/quiz/").status_code == 200, writes=False
            ),
            CITY_STAFF,
        ),
        "quiz_publish": (Attempt(lambda: make_quiz(publish=False), quiz_publish), CITY_STAFF),
        "quest_task": (Attempt(lambda: _quest(cast), quest_task), SIGNED_IN),
        "comment_post": (Attempt(lambda: _discussion(cast), comment_post), SIGNED_IN),
        "comment_moderate": (Attempt(lambda: _pending_comment(cast), comment_moderate), MODERATORS),
        "comment_respond": (Attempt(lambda: _published_comment(cast), comment_respond), CITY_STAFF),
        "discussion_console": (
            Attempt(
                lambda: None,
                lambda c, _: c.get("/console/voting/discussion/").status_code == 200,
                writes=False,
            ),
            CITY_STAFF,
        ),
        "photo_moderate": (Attempt(lambda: _pending_photo(cast), photo_moderate), MODERATORS),
        "winners_mark": (Attempt(lambda: _finished_contest_photo(cast), winners_mark), CITY_STAFF),
    }


ACTIONS = (
    "quiz_attempt",
    "quiz_console",
    "quiz_publish",
    "quest_task",
    "comment_post",
    "comment_moderate",
    "comment_respond",
    "discussion_console",
    "photo_moderate",
    "winners_mark",
)


@pytest.mark.parametrize("action", ACTIONS)
def test_permission_matrix(cast: Cast, action: str) -> None:
    attempt, expected = attempts(cast)[action]
    run_matrix(cast, attempt, expected)


def test_a_refused_quiz_attempt_leaves_no_attempt(cast: Cast) -> None:
    quiz = make_quiz()
    answers = [{"question_id": q, "option_ids": o} for q, o in right_answers(quiz).items()]
    assert _post(Client(), f"/api/v1/quizzes/{quiz.pk}/attempt", {"answers": answers}) == 401
    assert not QuizAttempt.objects.exists()
