"""Who may do what on the staff pages of public discussions and photo contests: each role against
each action (anonymous visitors are sent to sign in; residents and moderators are refused what
is not theirs)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from django.utils import timezone

from gorod.accounts.tests.factories import ResidentFactory
from gorod.voting.contests import services as services_contests
from gorod.voting.discussions import services as services_discussions
from gorod.voting.tests.test_contests import jpeg

pytestmark = pytest.mark.django_db

ROLES = {
    "anonymous": None,
    "resident": {},
    "moderator": {"roles": ["moderator"], "is_staff": True},
    "operator": {"roles": ["operator"], "is_staff": True},
}
# action -> roles allowed
ALLOWED = {
    "discussion_moderation_page": {"moderator", "operator"},
    "discussion_new_page": {"operator"},
    "comment_moderate": {"moderator", "operator"},
    "comment_respond": {"operator"},
    "contest_moderation_page": {"moderator", "operator"},
    "contest_new_page": {"operator"},
    "photo_moderate": {"moderator", "operator"},
    "winners_mark": {"operator"},
}


@pytest.fixture
def world(db):
    operator = ResidentFactory(level="full", roles=["operator"], is_staff=True)
    author = ResidentFactory()
    now = timezone.now()
    discussion = services_discussions.discussion_create(
        title="Square",
        description="A new square.",
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=5),
        districts=[author.home_district],
        actor=operator,
    )
    pending = services_discussions.comment_submit(discussion_id=discussion.pk, resident=author, text="One")
    published = services_discussions.comment_submit(discussion_id=discussion.pk, resident=author, text="Two")
    services_discussions.comment_moderate(comment_id=published.pk, moderator=operator, publish=True)
    contest = services_contests.contest_create(
        title="Trees",
        theme="Trees.",
        uploads_open_at=now - dt.timedelta(days=1),
        uploads_close_at=now + dt.timedelta(days=5),
        voting_open_at=now - dt.timedelta(days=1),
        voting_close_at=now + dt.timedelta(days=6),
        actor=operator,
    )
    photo = services_contests.photo_submit(contest_id=contest.pk, resident=author, upload=io.BytesIO(jpeg()))
    return {"pending": pending, "published": published, "contest": contest, "photo": photo}


def _request(client: Client, action: str, world: dict) -> int:
    urls = {
        "discussion_moderation_page": ("get", "/voting/discussions/moderation/", {}),
        "discussion_new_page": ("get", "/voting/discussions/new/", {}),
        "comment_moderate": (
            "post",
            f"/voting/discussions/comments/{world['pending'].pk}/moderate/",
            {"decision": "publish"},
        ),
        "comment_respond": (
            "post",
            f"/voting/discussions/comments/{world['published'].pk}/respond/",
            {"response": "Ok"},
        ),
        "contest_moderation_page": ("get", "/voting/contests/moderation/", {}),
        "contest_new_page": ("get", "/voting/contests/new/", {}),
        "photo_moderate": (
            "post",
            f"/voting/contests/photos/{world['photo'].pk}/moderate/",
            {"decision": "publish"},
        ),
        "winners_mark": (
            "post",
            f"/voting/contests/{world['contest'].pk}/winners/",
            {"photo": [world["photo"].pk]},
        ),
    }
    method, url, data = urls[action]
    return getattr(client, method)(url, data).status_code


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("action", list(ALLOWED))
def test_permission_matrix(world, role, action):
    client = Client()
    if ROLES[role] is not None:
        client.force_login(ResidentFactory(level="full", **ROLES[role]))
    status = _request(client, action, world)
    if role == "anonymous":
        assert status == 302  # to sign in
    elif role in ALLOWED[action]:
        assert status in (200, 302)  # a page, or the redirect after a (possibly refused) action
    else:
        assert status == 403
    world["pending"].refresh_from_db()
    world["published"].refresh_from_db()
    world["photo"].refresh_from_db()
    if role not in ALLOWED[action]:
        assert world["pending"].status == "pending" and world["published"].response == ""
        assert world["photo"].status == "pending" and world["contest"].winners_marked_at is None
