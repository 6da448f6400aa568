"""Issue 26: idea moderation and a project's stage through the API (they were web-only), with the
site's rules and refusals; an idea's author reads it with a token while it awaits moderation."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from gorod.accounts import services as accounts
from gorod.accounts.tests.factories import ResidentFactory
from gorod.ideas import services
from gorod.ideas.models import Idea, IdeaStatus, Project, Stage

pytestmark = pytest.mark.django_db


def _client(resident) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {accounts.api_token_issue(resident=resident, name='t')[1]}")


@pytest.fixture
def project(db):
    return Project.objects.create(title="Parks", topic="Parks", description="Ideas", organisation="Parks")


@pytest.fixture
def moderator_client(db):
    return _client(ResidentFactory(roles=["moderator"], is_staff=True))


def _post(client, path, body=None):
    return client.post(path, json.dumps(body or {}), content_type="application/json")


def test_moderator_publishes_and_rejects_through_the_api(api_client, project, moderator_client):
    first = _post(
        api_client, f"/api/v1/ideas/projects/{project.pk}/ideas", {"title": "Benches", "text": "More"}
    )
    second = _post(api_client, f"/api/v1/ideas/projects/{project.pk}/ideas", {"title": "Spam", "text": "x"})
    first_id, second_id = first.json()["id"], second.json()["id"]
    # the author reads their pending idea with the token; a stranger does not see it
    assert api_client.get(f"/api/v1/ideas/{first_id}").json()["status"] == "pending"
    assert Client().get(f"/api/v1/ideas/{first_id}").status_code == 404
    queue = moderator_client.get("/api/v1/ideas/moderation").json()
    assert [e["idea"]["id"] for e in queue] == [first_id, second_id]
    assert queue[0]["project_title"] == "Parks"
    published = _post(moderator_client, f"/api/v1/ideas/{first_id}/moderation", {"approve": True})
    assert published.status_code == 200 and published.json()["status"] == "published"
    no_reason = _post(moderator_client, f"/api/v1/ideas/{second_id}/moderation", {"approve": False})
    assert no_reason.status_code == 422 and no_reason.json()["code"] == "idea_empty_text"
    assert Idea.objects.get(pk=second_id).status == IdeaStatus.PENDING
    rejected = _post(
        moderator_client, f"/api/v1/ideas/{second_id}/moderation", {"approve": False, "reason": "Advert"}
    )
    assert rejected.json()["status"] == "rejected"
    again = _post(moderator_client, f"/api/v1/ideas/{first_id}/moderation", {"approve": False, "reason": "x"})
    assert again.status_code == 409 and again.json()["code"] == "idea_not_open"
    assert Idea.objects.get(pk=first_id).status == IdeaStatus.PUBLISHED
    assert moderator_client.get("/api/v1/ideas/moderation").json() == []


def test_a_resident_may_not_moderate_nor_read_the_queue(api_client, project, resident):
    idea = services.idea_submit(project=project, author=ResidentFactory(), title="Benches", text="More")
    denied = _post(api_client, f"/api/v1/ideas/{idea.pk}/moderation", {"approve": True})
    # a pending idea of someone else's does not exist for a resident
    assert denied.status_code == 404
    queue = api_client.get("/api/v1/ideas/moderation")
    assert queue.status_code == 403 and queue.json()["code"] == "idea_not_expert"
    assert Client().get("/api/v1/ideas/moderation").status_code == 401
    assert Idea.objects.get().status == IdeaStatus.PENDING


def test_experts_advance_a_project_stage_by_stage_never_past_the_last(api_client, project):
    operator_client = _client(ResidentFactory(level="full", roles=["operator"], is_staff=True))
    denied = _post(api_client, f"/api/v1/ideas/projects/{project.pk}/advance")
    assert denied.status_code == 403 and denied.json()["code"] == "idea_not_expert"
    assert Project.objects.get().stage == Stage.COLLECTING
    stages = [_post(operator_client, f"/api/v1/ideas/projects/{project.pk}/advance").json()["stage"]]
    stages.append(_post(operator_client, f"/api/v1/ideas/projects/{project.pk}/advance").json()["stage"])
    assert stages == [Stage.REVIEW, Stage.RESULTS]
    last = _post(operator_client, f"/api/v1/ideas/projects/{project.pk}/advance")
    assert last.status_code == 409 and last.json()["code"] == "idea_wrong_stage"
    assert Project.objects.get().stage == Stage.RESULTS
    assert _post(operator_client, "/api/v1/ideas/projects/999999/advance").status_code == 404
