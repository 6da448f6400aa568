from __future__ import annotations

import pytest

from gorod.accounts.tests.factories import ResidentFactory
from gorod.points import selectors as points_selectors
from gorod.voting.ratings import selectors as ratings_selectors
from gorod.voting.ratings import services as ratings
from gorod.voting.ratings.models import RatedItem, Rating

pytestmark = pytest.mark.django_db


def test_rate_once_with_points_and_summary(api_client, resident):
    item = RatedItem.objects.create(title="New tram line", published=True)
    response = api_client.post(
        f"/api/v1/ratings/items/{item.pk}", {"score": 4, "comment": "Nice"}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["points"] == 3 and data["summary"]["count"] == 1 and data["summary"]["distribution"]["4"] == 1
    again = api_client.post(f"/api/v1/ratings/items/{item.pk}", {"score": 5}, content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "already_rated"
    assert Rating.objects.count() == 1 and points_selectors.balance(resident).balance == 3


@pytest.mark.parametrize(
    ("score", "comment", "code"),
    # refused by the published schema (a score 1..5, a comment of at most 1,000 characters)
    [(0, "", "invalid_input"), (6, "", "invalid_input"), (3, "x" * 1001, "invalid_input")],
)
def test_bad_ratings_write_nothing(api_client, resident, score, comment, code):
    item = RatedItem.objects.create(title="Park", published=True)
    response = api_client.post(
        f"/api/v1/ratings/items/{item.pk}",
        {"score": score, "comment": comment},
        content_type="application/json",
    )
    assert response.status_code == 422 and response.json()["code"] == code
    assert Rating.objects.count() == 0 and points_selectors.balance(resident).balance == 0


def test_unpublished_item_refused_and_daily_cap_clamps():
    hidden = RatedItem.objects.create(title="Draft")
    voter = ResidentFactory()
    with pytest.raises(ratings.ItemNotFound):
        ratings.rating_cast(item_id=hidden.pk, resident=voter, score=3)
    earned = 0
    for i in range(12):
        item = RatedItem.objects.create(title=f"Item {i}", published=True)
        earned += ratings.rating_cast(item_id=item.pk, resident=voter, score=5)[1]
    assert earned == 30  # 3 points each, up to 30 a day
    summary = ratings_selectors.summary_of(item.pk)
    assert summary.count == 1 and summary.average == "5.0"
