"""/api/v1/ratings: city novelties rated 1–5 (mounted by gorod/voting/api.py)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from gorod.accounts.edge import resident_of
from gorod.voting.ratings import selectors as ratings_selectors
from gorod.voting.ratings import services as services_ratings
from gorod.voting.ratings.models import RatedItem

router = Router(tags=["active citizen"])


class RatedItemOut(Schema):
    id: int
    title: str
    description: str


class NoveltyRatingIn(Schema):
    score: int = Field(ge=1, le=5)
    comment: str = Field("", max_length=1000)


class SummaryOut(Schema):
    count: int
    average: str
    distribution: dict[int, int]


class RatedOut(Schema):
    item_id: int
    score: int
    points: int
    summary: SummaryOut


@router.get(
    "/ratings/items",
    response=list[RatedItemOut],
    auth=None,
    summary="City novelties to rate",
    operation_id="gorod_voting_api_ratings_list_items",
)
def list_items(request: HttpRequest) -> list[RatedItemOut]:
    return [
        RatedItemOut(id=i.pk, title=i.title, description=i.description)
        for i in RatedItem.objects.filter(published=True).order_by("-created_at", "-pk")[:50]
    ]


@router.post(
    "/ratings/items/{item_id}",
    response={201: RatedOut},
    summary="Rate an item once (1–5)",
    operation_id="gorod_voting_api_ratings_post_rating",
)
def post_rating(request: HttpRequest, item_id: int, body: NoveltyRatingIn) -> Status[RatedOut]:
    rating, points = services_ratings.rating_cast(
        item_id=item_id,
        resident=resident_of(request),
        score=body.score,
        comment=body.comment,
    )
    summary = ratings_selectors.summary_of(item_id)
    return Status(
        201,
        RatedOut(item_id=item_id, score=rating.score, points=points, summary=SummaryOut(**summary.__dict__)),
    )
