from __future__ import annotations

import json

import pytest
from django.urls import reverse

from gorod.accounts.tests.factories import DistrictFactory, ResidentFactory
from gorod.core.errors import InvalidInput
from gorod.ideas import selectors, services
from gorod.ideas.errors import (
    AlreadySupported,
    BadMerge,
    EmptyText,
    IdeaNotOpen,
    NotExpert,
    NotInDistrict,
    OwnIdea,
    WrongStage,
)
from gorod.ideas.models import Comment, Idea, IdeaStatus, Project, Stage, Support
from gorod.notifications.models import Notification
from gorod.points import selectors as points_selectors
from gorod.points.models import Transfer
from gorod.voting.models import Decision

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(db):
    return ResidentFactory(level="full", roles=["operator"], is_staff=True)


@pytest.fixture
def moderator(db):
    return ResidentFactory(roles=["moderator"], is_staff=True)


@pytest.fixture
def project(db):
    return Project.objects.create(
        title="Parks", topic="Parks", description="Ideas for parks", organisation="Parks Dept"
    )


def published_idea(project, author, moderator, title="Benches"):
    idea = services.idea_submit(project=project, author=author, title=title, text="More benches")
    return services.idea_moderate(idea_id=idea.pk, moderator=moderator, approve=True)


def test_submit_waits_for_moderation_and_only_while_collecting(project, resident, operator):
    idea = services.idea_submit(project=project, author=resident, title="Benches", text="More benches")
    assert idea.status == IdeaStatus.PENDING
    assert selectors.ideas_page(project, None).object_list.count() == 0
    services.project_stage_advance(project_id=project.pk, actor=operator)
    with pytest.raises(WrongStage):
        services.idea_submit(project=project, author=resident, title="Late", text="Too late")
    with pytest.raises(EmptyText):
        services.idea_submit(
            project=Project.objects.create(title="x", topic="x", description="x", organisation="x"),
            author=resident,
            title=" ",
            text="x",
        )
    assert Idea.objects.count() == 1


def test_district_project_refuses_other_districts(resident):
    p = Project.objects.create(title="Local", topic="x", description="x", organisation="x")
    p.districts.set([DistrictFactory()])
    with pytest.raises(NotInDistrict):
        services.idea_submit(project=p, author=resident, title="t", text="t")
    assert not Idea.objects.exists()


def test_moderation(project, resident, moderator):
    idea = services.idea_submit(project=project, author=resident, title="t", text="t")
    with pytest.raises(NotExpert):
        services.idea_moderate(idea_id=idea.pk, moderator=resident, approve=True)
    with pytest.raises(EmptyText):
        services.idea_moderate(idea_id=idea.pk, moderator=moderator, approve=False)
    services.idea_moderate(idea_id=idea.pk, moderator=moderator, approve=False, reason="Off topic")
    with pytest.raises(IdeaNotOpen):
        services.idea_moderate(idea_id=idea.pk, moderator=moderator, approve=True)
    assert Idea.objects.get().status == IdeaStatus.REJECTED


def test_support_once_each_and_not_own(project, resident, moderator):
    idea = published_idea(project, resident, moderator)
    fan = ResidentFactory()
    services.idea_support(idea_id=idea.pk, resident=fan)
    with pytest.raises(AlreadySupported) as info:
        services.idea_support(idea_id=idea.pk, resident=fan)
    assert info.value.code == "idea_already_supported"
    with pytest.raises(OwnIdea):
        services.idea_support(idea_id=idea.pk, resident=resident)
    assert Support.objects.count() == 1


def test_support_refused_for_pending_idea_and_after_collecting(project, resident, moderator, operator):
    pending = services.idea_submit(project=project, author=resident, title="p", text="p")
    with pytest.raises(IdeaNotOpen):
        services.idea_support(idea_id=pending.pk, resident=ResidentFactory())
    idea = published_idea(project, resident, moderator)
    services.project_stage_advance(project_id=project.pk, actor=operator)
    with pytest.raises(WrongStage):
        services.idea_support(idea_id=idea.pk, resident=ResidentFactory())
    assert not Support.objects.exists()


def test_stages_move_forward_only_by_experts(project, resident, operator):
    with pytest.raises(NotExpert):
        services.project_stage_advance(project_id=project.pk, actor=resident)
    services.project_stage_advance(project_id=project.pk, actor=operator)
    services.project_stage_advance(project_id=project.pk, actor=operator)
    with pytest.raises(WrongStage):
        services.project_stage_advance(project_id=project.pk, actor=operator)
    assert Project.objects.get().stage == Stage.RESULTS


def test_accepting_awards_points_once_notifies_and_can_become_a_decision(
    project, resident, moderator, operator
):
    idea = published_idea(project, resident, moderator)
    services.project_stage_advance(project_id=project.pk, actor=operator)
    services.idea_decide(
        idea_id=idea.pk, expert=operator, outcome="accepted", reason="Good", make_decision=True
    )
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.ACCEPTED and idea.decision_reason == "Good"
    assert points_selectors.balance(resident).balance == 500
    assert Transfer.objects.filter(source_key=f"idea:{idea.pk}").count() == 1
    assert Decision.objects.get(pk=idea.city_decision_id).title == "Benches"
    assert Notification.objects.filter(resident=resident, kind="idea_decision").count() == 1
    with pytest.raises(IdeaNotOpen):
        services.idea_decide(idea_id=idea.pk, expert=operator, outcome="accepted", reason="Again")
    assert points_selectors.balance(resident).balance == 500


def test_decision_refusals_store_nothing(project, resident, moderator, operator):
    idea = published_idea(project, resident, moderator)
    other = published_idea(project, ResidentFactory(), moderator, title="Other")
    with pytest.raises(WrongStage):
        services.idea_decide(idea_id=idea.pk, expert=operator, outcome="accepted", reason="Too early")
    services.project_stage_advance(project_id=project.pk, actor=operator)
    with pytest.raises(NotExpert):
        services.idea_decide(idea_id=idea.pk, expert=resident, outcome="accepted", reason="Me")
    with pytest.raises(EmptyText):
        services.idea_decide(idea_id=idea.pk, expert=operator, outcome="declined", reason="  ")
    with pytest.raises(InvalidInput):
        services.idea_decide(idea_id=idea.pk, expert=operator, outcome="maybe", reason="x")
    with pytest.raises(BadMerge):
        services.idea_decide(
            idea_id=idea.pk, expert=operator, outcome="merged", reason="x", merged_into_id=idea.pk
        )
    with pytest.raises(BadMerge):
        services.idea_decide(idea_id=idea.pk, expert=operator, outcome="merged", reason="x")
    assert Idea.objects.get(pk=idea.pk).status == IdeaStatus.PUBLISHED
    assert not Transfer.objects.exists() and not Decision.objects.exists()
    services.idea_decide(
        idea_id=idea.pk, expert=operator, outcome="merged", reason="Same", merged_into_id=other.pk
    )
    assert Idea.objects.get(pk=idea.pk).merged_into == other


def test_comments(project, resident, moderator):
    idea = published_idea(project, resident, moderator)
    services.comment_add(idea_id=idea.pk, author=ResidentFactory(), text="Nice")
    with pytest.raises(EmptyText):
        services.comment_add(idea_id=idea.pk, author=resident, text="")
    comment = Comment.objects.get()
    with pytest.raises(NotExpert):
        services.comment_hide(comment_id=comment.pk, moderator=resident, reason="spam")
    services.comment_hide(comment_id=comment.pk, moderator=moderator, reason="spam")
    assert list(selectors.idea_get(idea.pk, None).comments.all()) == []


def test_pages_and_query_counts(
    client, project, resident, moderator, operator, django_assert_max_num_queries
):
    for n in range(8):
        idea = published_idea(project, ResidentFactory(), moderator, title=f"Idea {n}")
        services.idea_support(idea_id=idea.pk, resident=resident)
    client.force_login(resident)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("ideas:project", args=[project.pk]))
    assert response.status_code == 200 and "you support it" in response.content.decode()
    with django_assert_max_num_queries(10):
        assert client.get(reverse("ideas:projects")).status_code == 200
    response = client.post(
        reverse("ideas:project", args=[project.pk]), {"title": "Fountain", "text": "A fountain"}
    )
    assert response.status_code == 302
    idea = Idea.objects.get(title="Idea 0")
    client.post(reverse("ideas:support", args=[idea.pk]), follow=True)
    assert Support.objects.filter(idea=idea).count() == 1
    assert (
        client.post(
            reverse("ideas:decide", args=[idea.pk]), {"outcome": "accepted", "reason": "x"}
        ).status_code
        == 403
    )
    assert client.get(reverse("ideas:moderation")).status_code == 403


def test_api_support_twice_is_refused(api_client, project, moderator):
    idea = published_idea(project, ResidentFactory(), moderator)
    first = api_client.post(f"/api/v1/ideas/{idea.pk}/support")
    assert first.status_code == 201 and first.json()["support_count"] == 1
    second = api_client.post(f"/api/v1/ideas/{idea.pk}/support")
    assert second.status_code == 409 and second.json()["code"] == "idea_already_supported"
    assert Support.objects.count() == 1
    created = api_client.post(
        f"/api/v1/ideas/projects/{project.pk}/ideas",
        json.dumps({"title": "t", "text": "x"}),
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["status"] == "pending"
    assert api_client.get(f"/api/v1/ideas/projects/{project.pk}/ideas").json()["items"][0]["id"] == idea.pk
