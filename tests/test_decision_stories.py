"""Issue 8: "People of the project" stories are linked from the decisions map they tell about.

News and Active Citizen may not import each other; news registers a link provider in
gorod.core.db.related and the map shows what it returns, on the page and in its GeoJSON."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from gorod.accounts.tests.factories import ResidentFactory
from gorod.news.models import Story, StoryKind
from gorod.voting.decisions import services as services_decisions

pytestmark = pytest.mark.django_db

POINT = {"type": "Point", "coordinates": [37.62, 55.75]}


@pytest.fixture
def decisions(db):
    operator = ResidentFactory(roles=["operator"], is_staff=True)
    told = services_decisions.decision_record(
        title="Renovate Gorky Park", organisation="Parks dept", actor=operator, location=POINT
    )
    untold = services_decisions.decision_record(
        title="New crossing on Tverskaya", organisation="Roads dept", actor=operator, location=POINT
    )
    now = timezone.now()
    story = Story.objects.create(
        kind=StoryKind.DECISION,
        title="How the park was renovated",
        text="…",
        decision_id=told.pk,
        published_at=now,
    )
    Story.objects.create(
        kind=StoryKind.DECISION,
        title="Not yet public",
        text="…",
        decision_id=told.pk,
        published=False,
        published_at=now,
    )
    Story.objects.create(
        kind=StoryKind.DECISION,
        title="Scheduled for next week",
        text="…",
        decision_id=told.pk,
        published_at=now + dt.timedelta(days=7),
    )
    return told, untold, story


def test_the_map_page_links_the_stories_of_each_decision(decisions):
    told, untold, story = decisions
    body = Client().get("/voting/decisions/").content.decode()
    assert f'href="/news/people/{story.pk}/"' in body and "How the park was renovated" in body
    assert "Not yet public" not in body and "Scheduled for next week" not in body
    items = body.split('<ul class="decisions" id="decision-list">')[1].split("</ul>")[0].split("<li>")
    (told_item,) = [item for item in items if told.title in item]
    (untold_item,) = [item for item in items if untold.title in item]
    assert story.title in told_item and story.title not in untold_item


def test_the_geojson_carries_the_story_links(decisions):
    told, untold, story = decisions
    features = {f["id"]: f["properties"] for f in Client().get("/api/v1/decisions").json()["features"]}
    assert features[told.pk]["links"] == [
        {"title": "How the park was renovated", "url": f"/news/people/{story.pk}/", "kind": "story"}
    ]
    assert features[untold.pk]["links"] == []
    # The link leads to the story page.
    assert Client().get(features[told.pk]["links"][0]["url"]).status_code == 200


def test_story_links_cost_one_query_for_the_whole_page(decisions, django_assert_max_num_queries):
    assert len(decisions) == 3
    client = Client()
    client.get("/voting/decisions/")  # warm caches (sessions, content types)
    with django_assert_max_num_queries(6) as captured:
        client.get("/voting/decisions/")
    assert sum("news_story" in q["sql"] for q in captured.captured_queries) == 1
