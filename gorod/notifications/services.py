"""Writes of the notification centre. ``notify`` runs inside the caller's transaction; e-mails
go out after commit through a task, at most once per resident and event."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gorod.accounts.models import Resident
from gorod.accounts.services import language_of
from gorod.core.errors import InvalidInput
from gorod.core.messages import Message
from gorod.core.site import site_url
from gorod.notifications.kinds import KINDS, UnknownKind
from gorod.notifications.models import Notification, Preference

UNSUBSCRIBE_SALT = "gorod.notifications.unsubscribe"
ALL_KINDS = "*"


class UnknownNotificationKind(InvalidInput):
    code = "unknown_notification_kind"
    message = gettext_lazy("There is no such kind of notification.")


class BadUnsubscribeLink(InvalidInput):
    code = "bad_unsubscribe_link"
    message = gettext_lazy("This unsubscribe link is not valid.")


def notify(
    *,
    resident_ids: Iterable[int],
    kind: str,
    event_key: str,
    title: str | Message,
    body: str | Message = "",
    url: str = "",
) -> int:
    """Put a notification in each resident's centre (once per event) and e-mail it after commit.

    A ``Message`` (message id and parameters) is shown in each reader's language; a plain string
    (a person's own words, such as a moderator's reason) is shown as written."""
    if kind not in KINDS:
        raise UnknownKind(f"notification kind {kind!r} is not in gorod/notifications/kinds.py")
    ids = sorted(set(resident_ids))
    if not ids:
        return 0
    title_text = title.in_english() if isinstance(title, Message) else title
    body_text = body.in_english() if isinstance(body, Message) else body
    with transaction.atomic():
        already = set(
            Notification.objects.filter(event_key=event_key, resident_id__in=ids).values_list(
                "resident_id", flat=True
            )
        )
        fresh = [
            Notification(
                resident_id=rid,
                kind=kind,
                event_key=event_key,
                title=title_text[:200],
                body=body_text,
                title_message=title.stored() if isinstance(title, Message) else None,
                body_message=body.stored() if isinstance(body, Message) else None,
                url=url[:300],
            )
            for rid in ids
            if rid not in already
        ]
        Notification.objects.bulk_create(fresh, ignore_conflicts=True)
        wants_email = _email_recipients([n.resident_id for n in fresh], kind)
        to_send = list(
            Notification.objects.filter(
                event_key=event_key, resident_id__in=wants_email, emailed_at__isnull=True
            ).values_list("pk", flat=True)
        )
        for notification_id in to_send:
            transaction.on_commit(partial(_enqueue_email, notification_id))
    return len(fresh)


def _enqueue_email(notification_id: int) -> None:
    from gorod.notifications.tasks import send_notification_email

    send_notification_email.enqueue(notification_id)


def _email_recipients(resident_ids: list[int], kind: str) -> list[int]:
    if not resident_ids:
        return []
    opted_out = set(
        Preference.objects.filter(
            resident_id__in=resident_ids, kind__in=[kind, ALL_KINDS], by_email=False
        ).values_list("resident_id", flat=True)
    )
    with_address = Resident.objects.filter(
        pk__in=resident_ids, consents_to_notifications=True, is_active=True, email__isnull=False
    ).exclude(email="")
    return [rid for rid in with_address.values_list("pk", flat=True) if rid not in opted_out]


def unsubscribe_token(resident_id: int, kind: str) -> str:
    return signing.dumps({"r": resident_id, "k": kind}, salt=UNSUBSCRIBE_SALT)


def notification_email_send(*, notification_id: int) -> bool:
    """Claim the e-mail (guarded update), send it, and release the claim if sending fails."""
    claimed = Notification.objects.filter(pk=notification_id, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
    if not claimed:
        return False
    resident = Notification.objects.select_related("resident").get(pk=notification_id).resident
    # Written in the language the resident chose on the site, whoever caused the notification and
    # whatever language the task runs in (content fields translate as they are read: read inside).
    with translation.override(language_of(resident)):
        notification = Notification.objects.get(pk=notification_id)
        unsubscribe_url = site_url(
            reverse("notifications:unsubscribe", args=[unsubscribe_token(resident.pk, notification.kind)])
        )
        subject = notification.shown_title
        text = "\n\n".join(
            part
            for part in [
                notification.shown_body,
                site_url(notification.url) if notification.url else "",
                _("Stop these e-mails: %(link)s") % {"link": unsubscribe_url},
            ]
            if part
        )
    message = EmailMessage(
        subject,
        text,
        to=[resident.email or ""],
        # RFC 8058 one-click unsubscribe: mail clients POST "List-Unsubscribe=One-Click" to the
        # signed URL, with no session and no CSRF token.
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    try:
        message.send()
    except Exception:
        # Delivery failed: release the claim so the task's retry can send it; the business
        # action that caused the notification has already committed and stays.
        Notification.objects.filter(pk=notification_id).update(emailed_at=None)
        raise
    return True


@transaction.atomic
def notifications_mark_read(*, resident: Resident, notification_ids: Iterable[int] | None = None) -> int:
    unread = Notification.objects.filter(resident=resident, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    return unread.update(read_at=timezone.now())


@transaction.atomic
def preference_set(*, resident: Resident, kind: str, by_email: bool) -> Preference:
    preference, _created = Preference.objects.update_or_create(
        resident=resident, kind=kind, defaults={"by_email": by_email}
    )
    return preference


@transaction.atomic
def unsubscribe(*, token: str) -> Preference:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=60 * 60 * 24 * 365)
        resident = Resident.objects.get(pk=int(data["r"]))
        kind = str(data["k"])
    except (signing.BadSignature, KeyError, ValueError, TypeError, Resident.DoesNotExist):
        raise BadUnsubscribeLink() from None
    return preference_set(resident=resident, kind=kind, by_email=False)


@transaction.atomic
def preferences_set(*, resident: Resident, by_email: dict[str, bool]) -> None:
    """Several kinds at once (the API's PUT): all or none, an unknown kind refuses everything."""
    unknown = sorted(set(by_email) - set(KINDS))
    if unknown:
        raise UnknownNotificationKind(kinds=unknown)
    for kind, wanted in by_email.items():
        preference_set(resident=resident, kind=kind, by_email=wanted)
