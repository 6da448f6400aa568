"""Writes for the building board: a resident posts, the administrator moderates, the
administrator posts official (and emergency, pinned) announcements.

The author's first published announcement earns the ``first_announcement`` rule once, under the
natural key ``first_announcement:<resident>``; a rejected announcement earns nothing.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from gorod.accounts import moderation
from gorod.accounts.models import Resident
from gorod.accounts.services import audit_record
from gorod.core.messages import Message
from gorod.housing import errors, permissions
from gorod.housing.board.rules import first_announcement_key
from gorod.housing.buildings.selectors import HousingBuildingDirectory
from gorod.housing.models import Announcement, AnnouncementStatus, Building, BuildingAdministrator
from gorod.housing.permissions import require_admin
from gorod.notifications import services as notifications
from gorod.points import services as points

PROGRAMME = "electronic_home"
TITLE_MAX = 120
BODY_MAX = 2000


def _clean(title: str, body: str) -> tuple[str, str]:
    title, body = (title or "").strip(), (body or "").strip()
    for name, text in (("title", title), ("body", body)):
        if "\x00" in text:  # PostgreSQL cannot store it: refuse rather than fail
            raise errors.InvalidInput(field=name)
    if not title:
        raise errors.AnnouncementEmpty(field="title")
    if not body:
        raise errors.AnnouncementEmpty(field="body")
    if len(title) > TITLE_MAX:
        raise errors.InvalidInput(field="title", maximum=TITLE_MAX)
    if len(body) > BODY_MAX:
        raise errors.InvalidInput(field="body", maximum=BODY_MAX)
    return title, body


@transaction.atomic
def announcement_post(*, building: Building, author: Resident, title: str, body: str) -> Announcement:
    """A verified resident of the building posts; the announcement waits for moderation."""
    if not permissions.lives_in(author, building):
        raise errors.NotBuildingResident()
    title, body = _clean(title, body)
    announcement = Announcement.objects.create(building=building, author=author, title=title, body=body)
    notifications.notify(
        resident_ids=BuildingAdministrator.objects.filter(building=building).values_list(
            "resident_id", flat=True
        ),
        kind="building_news",
        event_key=f"announcement:{announcement.pk}:pending",
        title=Message(gettext_noop("An announcement waits for moderation: %(title)s"), title=title),
        url=reverse("housing:board_moderation"),
    )
    return announcement


@transaction.atomic
def announcement_official_post(
    *, building: Building, actor: Resident, title: str, body: str, emergency: bool = False
) -> Announcement:
    """The administrator posts to the board at once; an emergency one is pinned on top and
    every resident of the building is notified."""
    require_admin(actor, building)
    title, body = _clean(title, body)
    now = timezone.now()
    announcement = Announcement.objects.create(
        building=building,
        author=actor,
        title=title,
        body=body,
        official=True,
        emergency=emergency,
        status=AnnouncementStatus.APPROVED,
        decided_by=actor,
        decided_at=now,
        published_at=now,
    )
    audit_record(
        actor=actor,
        action="housing.announcement_official",
        target=announcement,
        after={"building": building.pk, "emergency": emergency},
    )
    notifications.notify(
        resident_ids=HousingBuildingDirectory().residents_of([building.pk]),
        kind="building_news",
        event_key=f"announcement:{announcement.pk}:published",
        title=Message(
            gettext_noop("Emergency: %(title)s") if emergency else gettext_noop("Announcement: %(title)s"),
            title=title,
        ),
        body=body[:300],
        url=reverse("housing:board", args=[building.pk]),
    )
    return announcement


# The administrator moderates the board; the row keeps who decided and when as "decided_*".
MODERATION = moderation.Moderation(
    published=AnnouncementStatus.APPROVED,
    publish_action="housing.announcement_approve",
    reject_action="housing.announcement_reject",
    reason_field="reason",
    moderator_field="decided_by",
    at_field="decided_at",
)


def _decide(announcement: Announcement, actor: Resident, *, publish: bool, reason: str = "") -> Announcement:
    require_admin(actor, announcement.building_id)
    reason = moderation.reason_for(
        publish, reason, spec=MODERATION, required=lambda: errors.AnnouncementReasonRequired(field="reason")
    )
    locked = Announcement.objects.select_for_update().get(pk=announcement.pk)
    moderation.decide(
        locked,
        spec=MODERATION,
        publish=publish,
        moderator=actor,
        reason=reason,
        not_pending=errors.AnnouncementNotPending,
        also={"published_at": timezone.now()} if publish else None,
    )
    notifications.notify(
        resident_ids=[locked.author_id],
        kind="building_news",
        event_key=f"announcement:{locked.pk}:decided",
        title=Message(
            gettext_noop("Your announcement is published: %(title)s")
            if publish
            else gettext_noop("Your announcement was not published: %(title)s"),
            title=locked.title,
        ),
        body=reason,
        url=reverse("housing:board", args=[locked.building_id]),
    )
    return locked


@transaction.atomic
def announcement_approve(*, announcement: Announcement, actor: Resident) -> Announcement:
    locked = _decide(announcement, actor, publish=True)
    points.award(
        resident=locked.author,
        programme=PROGRAMME,
        action="first_announcement",
        source_key=first_announcement_key(locked.author_id),
        actor=actor,
    )
    return locked


@transaction.atomic
def announcement_reject(*, announcement: Announcement, actor: Resident, reason: str) -> Announcement:
    return _decide(announcement, actor, publish=False, reason=reason)


@transaction.atomic
def announcement_emergency_end(*, announcement: Announcement, actor: Resident) -> Announcement:
    """The emergency is over: the notice stays on the board as an ordinary official one and no
    longer sits on top. Only the building's administrator (or an operator) may end it."""
    require_admin(actor, announcement.building_id)
    locked = Announcement.objects.select_for_update().get(pk=announcement.pk)
    if not locked.emergency:
        raise errors.AnnouncementNotPinned()
    locked.emergency = False
    locked.save(update_fields=["emergency"])
    audit_record(
        actor=actor,
        action="housing.announcement_emergency_end",
        target=locked,
        before={"emergency": True},
        after={"emergency": False},
    )
    return locked
