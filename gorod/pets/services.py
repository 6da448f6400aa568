"""Writes for lost and found pets: notices, photos, moderation, closing, messages.

Contact goes through the site: phone numbers and e-mail addresses in any text are masked
before it is stored, and messages reach the other person as site notifications.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from gorod.accounts import moderation
from gorod.accounts.models import Resident
from gorod.core.errors import InvalidInput
from gorod.core.images import CleanImage, ImageTooLarge, NotAnImage, clean_image
from gorod.core.messages import Message
from gorod.core.privacy_text import mask_contacts
from gorod.notifications import services as notifications
from gorod.pets import permissions, rules, selectors
from gorod.pets.errors import (
    AlreadyModerated,
    BadPhoto,
    BadSeenAt,
    EmptyText,
    MessageToSelf,
    NoticeNotOpen,
    NotModerator,
    NotYourNotice,
    OutsideCity,
    PhotosAfterModeration,
)
from gorod.pets.models import Animal, NoticeKind, NoticeStatus, PetMessage, PetNotice, PetPhoto

MODERATION = moderation.Moderation(
    publish_action="pets.notice_publish",
    reject_action="pets.notice_reject",
    reason_field="rejection_reason",
)


def _checked_photos(photos: Sequence[Any]) -> list[CleanImage]:
    """Every photo under the shared image policy (gorod.core.images): decoded, pixel count
    bounded, re-encoded without EXIF or GPS; none is stored unless all pass."""
    if len(photos) > rules.MAX_PHOTOS:
        raise BadPhoto(field="photos", max=rules.MAX_PHOTOS)
    checked = []
    for upload in photos:
        try:
            checked.append(
                clean_image(
                    upload,
                    field="photos",
                    max_bytes=rules.MAX_PHOTO_BYTES,
                    size=getattr(upload, "size", None),
                )
            )
        except (ImageTooLarge, NotAnImage):
            raise BadPhoto(field="photos", max=rules.MAX_PHOTOS) from None
    return checked


def _coordinate(value: Any, field: str) -> Decimal:
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        raise InvalidInput(field=field) from None
    if not number.is_finite():
        raise InvalidInput(field=field)
    return number


@transaction.atomic(durable=True)
def notice_create(
    *,
    author: Resident,
    kind: str,
    animal: str,
    description: str,
    latitude: Any,
    longitude: Any,
    seen_at: dt.datetime,
    photos: Sequence[Any] = (),
) -> PetNotice:
    """Post a lost or found notice; it waits for moderation. Contacts in the text are masked."""
    if kind not in NoticeKind.values:
        raise InvalidInput(field="kind")
    if animal not in Animal.values:
        raise InvalidInput(field="animal")
    text = mask_contacts(description.strip())
    if not text:
        raise EmptyText(field="description")
    lat, lon = _coordinate(latitude, "latitude"), _coordinate(longitude, "longitude")
    district = selectors.district_at(lat, lon) if abs(lat) <= 90 and abs(lon) <= 180 else None
    if district is None:
        raise OutsideCity(field="latitude")
    if not rules.seen_at_ok(seen_at, timezone.now()):
        raise BadSeenAt(field="seen_at")
    checked = _checked_photos(photos)
    notice = PetNotice.objects.create(
        author=author,
        kind=kind,
        animal=animal,
        description=text[:2000],
        latitude=lat,
        longitude=lon,
        district=district,
        seen_at=seen_at,
    )
    _store_photos(notice, checked)
    return notice


def _store_photos(notice: PetNotice, checked: Sequence[CleanImage]) -> None:
    for photo in checked:
        PetPhoto.objects.create(
            notice=notice,
            file=ContentFile(photo.content, name=f"{uuid.uuid4().hex}.{photo.extension}"),
            content_type=photo.content_type,
        )


@transaction.atomic(durable=True)
def photos_add(*, notice_id: int, actor: Resident, photos: Sequence[Any]) -> PetNotice:
    """The author adds photos to a notice still awaiting moderation (API clients file the notice
    as JSON, then its photos), under the same image policy and limit as on the site. Once
    moderated, the notice's photos are what the moderator saw: no more can be added."""
    notice = PetNotice.objects.select_for_update().get(pk=notice_id)
    if not permissions.is_author(actor, notice):
        raise NotYourNotice()
    if notice.status != NoticeStatus.PENDING:
        raise PhotosAfterModeration(notice_id=notice.pk)
    if not photos or notice.photos.count() + len(photos) > rules.MAX_PHOTOS:
        raise BadPhoto(field="photos", max=rules.MAX_PHOTOS)
    _store_photos(notice, _checked_photos(photos))
    return notice


def _notify_matches(notice: PetNotice) -> None:
    """Tell authors of lost notices about a matching found one (and the author of a new lost
    notice about found ones already there). One notification per pair, ever."""
    for suggestion in selectors.suggestions(notice):
        lost = notice if notice.kind == NoticeKind.LOST else suggestion.notice
        found = suggestion.notice if notice.kind == NoticeKind.LOST else notice
        notifications.notify(
            resident_ids=[lost.author_id],
            kind="pet_match",
            event_key=f"pet_match:{lost.pk}:{found.pk}",
            title=Message(gettext_noop("A found %(animal)s may be yours"), animal=Animal(found.animal).label),
            body=Message(
                gettext_noop("Found %(distance)d m from where you lost your pet."),
                distance=suggestion.distance_m,
            ),
            url=reverse("pets:detail", args=[found.pk]),
        )


@transaction.atomic(durable=True)
def notice_moderate(*, notice_id: int, moderator: Resident, approve: bool, reason: str = "") -> PetNotice:
    """Publish or reject a pending notice; publishing tells owners of matching lost pets."""
    if not permissions.may_moderate(moderator):
        raise NotModerator()
    reason = moderation.reason_for(
        approve, reason, spec=MODERATION, required=lambda: EmptyText(field="reason")
    )
    notice = PetNotice.objects.select_for_update().get(pk=notice_id)
    moderation.decide(
        notice,
        spec=MODERATION,
        publish=approve,
        moderator=moderator,
        reason=reason,
        not_pending=lambda: AlreadyModerated(notice_id=notice.pk),
    )
    if approve:
        _notify_matches(notice)
    return notice


@transaction.atomic(durable=True)
def notice_close(*, notice_id: int, actor: Resident) -> PetNotice:
    """The author closes the notice when the pet is home (or no longer needs one)."""
    notice = PetNotice.objects.select_for_update().get(pk=notice_id)
    if not permissions.is_author(actor, notice):
        raise NotYourNotice()
    if notice.status not in (NoticeStatus.PENDING, NoticeStatus.PUBLISHED):
        raise NoticeNotOpen(notice_id=notice.pk)
    notice.status = NoticeStatus.CLOSED
    notice.closed_at = timezone.now()
    notice.save(update_fields=["status", "closed_at"])
    return notice


@transaction.atomic(durable=True)
def message_send(
    *, notice_id: int, sender: Resident, body: str, recipient_id: int | None = None
) -> PetMessage:
    """Write to a notice's author (or, as the author, answer someone who wrote)."""
    notice = PetNotice.objects.select_related("author").get(pk=notice_id)
    if notice.status != NoticeStatus.PUBLISHED:
        raise NoticeNotOpen(notice_id=notice.pk)
    text = mask_contacts(body.strip())[:2000]
    if not text:
        raise EmptyText(field="body")
    if sender.pk == notice.author_id:
        if recipient_id is None or recipient_id == sender.pk:
            raise MessageToSelf(field="body")
        if not PetMessage.objects.filter(notice=notice, sender_id=recipient_id).exists():
            raise NotYourNotice(field="body")
        recipient = Resident.objects.get(pk=recipient_id)
    else:
        recipient = notice.author
    message = PetMessage.objects.create(notice=notice, sender=sender, recipient=recipient, body=text)
    notifications.notify(
        resident_ids=[recipient.pk],
        kind="pet_message",
        event_key=f"pet_message:{message.pk}",
        title=Message(gettext_noop("A message about your pet notice"))
        if recipient.pk == notice.author_id
        else Message(gettext_noop("A reply about a pet")),
        body=text[:300],
        url=reverse("pets:detail", args=[notice.pk]),
    )
    return message
