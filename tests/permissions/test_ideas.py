"""Permission matrix of City of Ideas: experts decide, moderators moderate, residents take part."""

from __future__ import annotations

import pytest
from django.test import Client

from gorod.ideas import services
from gorod.ideas.models import Comment, Idea, IdeaStatus, Project, Stage, Support
from tests.permissions.conftest import ROLES, Attempt, Cast, run_matrix

pytestmark = pytest.mark.django_db

EXPERTS = frozenset({"moderator", "operator", "admin"})
SIGNED_IN = frozenset(ROLES) - {"anonymous"}


def attempts(cast: Cast) -> dict[str, tuple[Attempt, frozenset[str]]]:
    author, moderator = cast.user("resident"), cast.user("moderator")

    def project(stage: str = Stage.COLLECTING) -> Project:
        return Project.objects.create(
            title="Parks",
            topic="Parks",
            description="Ideas for parks",
            organisation="Parks Dept",
            stage=stage,
        )

    def idea(status: str = IdeaStatus.PUBLISHED, stage: str = Stage.COLLECTING) -> Idea:
        made = services.idea_submit(project=project(), author=author, title="Benches", text="More benches")
        if status == IdeaStatus.PUBLISHED:
            services.idea_moderate(idea_id=made.pk, moderator=moderator, approve=True)
        if stage != Stage.COLLECTING:
            Project.objects.filter(pk=made.project_id).update(stage=stage)
        return Idea.objects.get(pk=made.pk)

    def status_of(target: Idea) -> str:
        return Idea.objects.get(pk=target.pk).status

    def publish(client: Client, target: Idea) -> bool:
        client.post("/ideas/moderation/", {"idea": str(target.pk), "decision": "publish"})
        return status_of(target) == IdeaStatus.PUBLISHED

    def decide_site(client: Client, target: Idea) -> bool:
        client.post(f"/ideas/{target.pk}/decide/", {"outcome": "declined", "reason": "Out of scope"})
        return status_of(target) == IdeaStatus.DECLINED

    def decide_api(client: Client, target: Idea) -> bool:
        client.post(
            f"/api/v1/ideas/{target.pk}/decision",
            {"outcome": "declined", "reason": "Out of scope"},
            content_type="application/json",
        )
        return status_of(target) == IdeaStatus.DECLINED

    def advance(client: Client, target: Project) -> bool:
        client.post(f"/ideas/projects/{target.pk}/advance/")
        return Project.objects.get(pk=target.pk).stage == Stage.REVIEW

    def support(client: Client, target: Idea) -> bool:
        client.post(f"/ideas/{target.pk}/support/")
        return Support.objects.filter(idea=target).exists()

    def comment(client: Client, target: Idea) -> bool:
        client.post(f"/ideas/{target.pk}/comment/", {"text": "Good idea"})
        return Comment.objects.filter(idea=target).exists()

    def pending() -> Idea:
        return idea(IdeaStatus.PENDING)

    def in_review() -> Idea:
        return idea(stage=Stage.REVIEW)

    return {
        "see_pending_idea": (
            Attempt(pending, lambda c, t: c.get(f"/ideas/{t.pk}/").status_code == 200, writes=False),
            EXPERTS | {"resident"},
        ),
        "see_pending_idea_api": (
            Attempt(pending, lambda c, t: c.get(f"/api/v1/ideas/{t.pk}").status_code == 200, writes=False),
            EXPERTS | {"resident"},
        ),
        "moderation_queue": (
            Attempt(lambda: None, lambda c, t: c.get("/ideas/moderation/").status_code == 200, writes=False),
            EXPERTS,
        ),
        "publish_idea": (Attempt(pending, publish), EXPERTS),
        "decide_on_the_site": (Attempt(in_review, decide_site), EXPERTS),
        "decide_through_the_api": (Attempt(in_review, decide_api), EXPERTS),
        "advance_stage": (Attempt(project, advance), EXPERTS),
        "support": (Attempt(idea, support), SIGNED_IN - {"resident"}),  # never one's own idea
        "comment": (Attempt(idea, comment), SIGNED_IN),
    }


ACTIONS = [
    "see_pending_idea",
    "see_pending_idea_api",
    "moderation_queue",
    "publish_idea",
    "decide_on_the_site",
    "decide_through_the_api",
    "advance_stage",
    "support",
    "comment",
]


@pytest.mark.parametrize("action", ACTIONS)
def test_permission_matrix(cast, action):
    attempt, expected = attempts(cast)[action]
    run_matrix(cast, attempt, expected)
