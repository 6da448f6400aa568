"""What an erased resident leaves in the services, removed: the car plate and household facts
(news interests), the link to a flat and its document number, the name in the owners' register,
contacts in their building announcements, the text of their pet messages (and of the
notifications that carried it), GPS positions of their photos (columns and any left in older
files), and the sign-in attempts recorded under their login, e-mail or phone.

Called by ``services.resident_erase`` inside its transaction, before the profile is blanked
(it needs the old name and contacts to find them)."""

from __future__ import annotations

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Q

from gorod.accounts.models import Resident
from gorod.core.errors import InvalidInput
from gorod.core.images import clean_image
from gorod.core.privacy_text import mask_contacts
from gorod.housing.models import Announcement, Ownership, PremiseLink, RegisterEntry
from gorod.news.models import Interests
from gorod.notifications.models import Notification
from gorod.pets.models import PetMessage, PetPhoto
from gorod.problems.models import Photo
from gorod.voting.contests.models import ContestPhoto


def _without_name(text: str, names: list[str], pseudonym: str) -> str:
    for name in names:
        if name:
            text = text.replace(name, pseudonym)
    return text


def housing_traces_erase(resident: Resident, pseudonym: str) -> None:
    PremiseLink.objects.filter(resident=resident).delete()
    names = [resident.get_full_name().strip(), resident.last_name.strip()]
    ownerships = list(Ownership.objects.filter(owner=resident))
    # The register keeps its lines (shares and weights decide past meetings) under the pseudonym.
    Ownership.objects.filter(owner=resident).update(owner_name=pseudonym)
    for entry in RegisterEntry.objects.filter(ownership__in=ownerships):
        entry.owner_name = _without_name(entry.owner_name, names, pseudonym)
        entry.save(update_fields=["owner_name"])
    for announcement in Announcement.objects.filter(author=resident):
        announcement.title = mask_contacts(_without_name(announcement.title, names, pseudonym))
        announcement.body = mask_contacts(_without_name(announcement.body, names, pseudonym))
        announcement.save(update_fields=["title", "body"])


def messages_erase(resident: Resident) -> None:
    sent = list(PetMessage.objects.filter(sender=resident).values_list("pk", flat=True))
    PetMessage.objects.filter(pk__in=sent).update(body="")
    # The recipients' notifications quoted the message.
    Notification.objects.filter(event_key__in=[f"pet_message:{pk}" for pk in sent]).update(body="")


def _strip_file(name: str) -> None:
    """Re-encode an image stored before the upload policy, so no GPS stays in it."""
    try:
        with default_storage.open(name) as stored:
            clean = clean_image(stored.read(), max_bytes=64 * 1024 * 1024)
    except (OSError, InvalidInput):
        return  # missing or not an image: nothing to strip
    default_storage.delete(name)
    default_storage.save(name, ContentFile(clean.content))


def photos_strip(resident: Resident) -> None:
    report_photos = Photo.objects.filter(Q(report__author=resident) & Q(answer__isnull=True))
    report_photos.update(taken_latitude=None, taken_longitude=None)
    names = [
        *report_photos.values_list("file", flat=True),
        *PetPhoto.objects.filter(notice__author=resident).values_list("file", flat=True),
        *ContestPhoto.objects.filter(author=resident).values_list("file", flat=True),
    ]
    for name in names:
        if name:
            _strip_file(name)


def sign_in_records_erase(resident: Resident) -> None:
    logins = [value for value in (resident.username, resident.email, resident.phone) if value]
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        model.objects.filter(username__in=logins).delete()


def traces_erase(resident: Resident, pseudonym: str) -> None:
    Interests.objects.filter(resident=resident).delete()
    housing_traces_erase(resident, pseudonym)
    messages_erase(resident)
    photos_strip(resident)
    sign_in_records_erase(resident)
