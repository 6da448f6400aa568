from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from gorod.accounts.auth import public_or_signed_in
from gorod.accounts.edge import resident_of
from gorod.accounts.models import Resident
from gorod.news import rules, selectors, services, services_follow
from gorod.news.models import NewsItem

API_PREFIX = "/news"
router = Router(tags=["news"])


class ItemOut(Schema):
    id: int
    title: str
    text: str
    published_at: dt.datetime
    topics: list[str]
    district_ids: list[int]
    address_id: int | None


class FeedEntryOut(Schema):
    item: ItemOut
    score: int
    reasons: list[str]


class FeedPage(Schema):
    items: list[FeedEntryOut]
    page: int
    pages: int


class FeedQuery(Schema):
    page: int = Field(1, ge=1, le=10_000)
    topic: str = Field("", max_length=40)


class InterestsIn(Schema):
    car_plate: str = Field("", max_length=16, pattern=rules.PLATE_PATTERN)
    has_children: bool = False
    has_pets: bool = False
    address_id: int | None = Field(None, ge=1, le=2**31)


class InterestsOut(Schema):
    car_plate: str
    has_children: bool
    has_pets: bool
    address_id: int | None
    home_district_id: int | None


class ServiceOut(Schema):
    id: int
    name: str
    description: str
    category: str
    audience: str
    link: str
    is_external: bool
    for_you: bool


class StoryOut(Schema):
    id: int
    kind: str
    title: str
    text: str
    decision_id: int | None
    published_at: dt.datetime


class StoryQuery(Schema):
    kind: str = Field("", max_length=10)
    decision_id: int | None = Field(None, ge=1, le=2**31)


def _item(i: NewsItem) -> ItemOut:
    return ItemOut(
        id=i.pk,
        title=i.title,
        text=i.text,
        published_at=i.published_at,
        topics=[t.code for t in i.topics.all()],
        district_ids=[d.pk for d in i.districts.all()],
        address_id=i.address_id,
    )


@router.get(
    "/feed", response=FeedPage, auth=public_or_signed_in, summary="News feed, personalised when signed in"
)
def get_feed(request: HttpRequest, query: Query[FeedQuery]) -> FeedPage:
    page = selectors.feed_page(request.user, page=query.page, topic=query.topic)
    return FeedPage(
        items=[FeedEntryOut(item=_item(e.item), score=e.score, reasons=e.reasons) for e in page],
        page=page.number,
        pages=page.paginator.num_pages,
    )


@router.get("/items/{item_id}", response=ItemOut, auth=None, summary="One news item")
def get_item(request: HttpRequest, item_id: int) -> ItemOut:
    return _item(selectors.item_get(item_id))


def _interests_out(resident: Resident) -> InterestsOut:
    i = selectors.interests_of(resident)
    return InterestsOut(
        car_plate=i.car_plate if i else "",
        has_children=i.has_children if i else False,
        has_pets=i.has_pets if i else False,
        address_id=i.address_id if i else None,
        home_district_id=resident.home_district_id,
    )


@router.get("/interests", response=InterestsOut, summary="My interests")
def get_interests(request: HttpRequest) -> InterestsOut:
    return _interests_out(resident_of(request))


@router.put(
    "/interests", response=InterestsOut, summary="Set my interests (car plate, children, pets, building)"
)
def put_interests(request: HttpRequest, body: InterestsIn) -> InterestsOut:
    from gorod.accounts.models import Address
    from gorod.news.errors import UnknownAddress

    resident: Resident = resident_of(request)
    address = None
    if body.address_id is not None:
        address = Address.objects.filter(pk=body.address_id).first()
        if address is None:
            raise UnknownAddress(field="address_id")
    services.interests_update(
        resident=resident,
        car_plate=body.car_plate,
        has_children=body.has_children,
        has_pets=body.has_pets,
        address=address,
    )
    return _interests_out(resident)


@router.get(
    "/services",
    response=list[ServiceOut],
    auth=public_or_signed_in,
    summary="City services catalogue, those for my interests first when signed in",
)
def get_services(request: HttpRequest, q: str = "", category: str = "") -> list[ServiceOut]:
    return [
        ServiceOut(
            id=e.service.pk,
            name=e.service.name,
            description=e.service.description,
            category=e.service.category.code,
            audience=e.service.audience,
            link=e.service.link,
            is_external=e.service.is_external,
            for_you=e.for_you,
        )
        for e in selectors.catalogue(request.user, query=q[:100], category=category[:40])
    ]


class FollowsIn(Schema):
    topics: list[str] = Field(default_factory=list, max_length=100)
    district_ids: list[int] = Field(default_factory=list, max_length=200)


class FollowsOut(Schema):
    topics: list[str]
    district_ids: list[int]


def _follows_out(resident: Resident) -> FollowsOut:
    topics, districts = selectors.follows_of(resident)
    return FollowsOut(topics=topics, district_ids=districts)


@router.get("/follows", response=FollowsOut, summary="Topics and districts I follow (the daily digest)")
def get_follows(request: HttpRequest) -> FollowsOut:
    return _follows_out(resident_of(request))


@router.put(
    "/follows",
    response=FollowsOut,
    summary="Follow these topics and districts (replaces the list; an unknown one refuses all)",
)
def put_follows(request: HttpRequest, body: FollowsIn) -> FollowsOut:
    resident = resident_of(request)
    services_follow.follows_set_strict(
        resident=resident, topic_codes=body.topics, district_ids=body.district_ids
    )
    return _follows_out(resident)


@router.get("/stories", response=list[StoryOut], auth=None, summary="People of the project")
def get_stories(request: HttpRequest, query: Query[StoryQuery]) -> list[StoryOut]:
    rows = selectors.stories(kind=query.kind)
    if query.decision_id:
        rows = rows.filter(decision_id=query.decision_id)
    return [
        StoryOut(
            id=s.pk,
            kind=s.kind,
            title=s.title,
            text=s.text,
            decision_id=s.decision_id,
            published_at=s.published_at,
        )
        for s in rows[:50]
    ]
