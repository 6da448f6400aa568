from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from gorod.accounts.edge import resident_of
from gorod.accounts.models import Resident
from gorod.core.ids import DbId
from gorod.notifications import selectors, services

API_PREFIX = "/notifications"
router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    url: str
    created_at: dt.datetime
    read: bool


class InboxOut(Schema):
    items: list[NotificationOut]
    unread: int
    page: int
    pages: int


class InboxQuery(Schema):
    page: int = Field(1, ge=1, le=100_000)


class ReadIn(Schema):
    ids: list[DbId] | None = Field(None, max_length=500)


class ReadOut(Schema):
    marked: int


@router.get("", response=InboxOut, summary="My notifications, newest first")
def list_notifications(request: HttpRequest, query: Query[InboxQuery]) -> InboxOut:
    resident: Resident = resident_of(request)
    page = selectors.inbox(resident, page=query.page)
    return InboxOut(
        items=[
            NotificationOut(
                id=n.pk,
                kind=n.kind,
                title=n.shown_title,
                body=n.shown_body,
                url=n.url,
                created_at=n.created_at,
                read=n.read_at is not None,
            )
            for n in page.object_list
        ],
        unread=selectors.unread_count(resident),
        page=page.number,
        pages=page.paginator.num_pages,
    )


@router.post("/read", response=ReadOut, summary="Mark notifications read (all when no ids)")
def mark_read(request: HttpRequest, body: ReadIn) -> ReadOut:
    resident: Resident = resident_of(request)
    return ReadOut(marked=services.notifications_mark_read(resident=resident, notification_ids=body.ids))


from gorod.notifications.api_preferences import router as preferences_router  # noqa: E402

router.add_router("", preferences_router)
