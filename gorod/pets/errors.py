from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gorod.core.errors import Conflict, InvalidInput, PermissionDenied


class OutsideCity(InvalidInput):
    code = "pet_outside_city"
    message = _("The point is outside the city. Put it where the pet was lost or found.")
    status = 409  # the city's boundary decides, not the request's shape


class BadSeenAt(InvalidInput):
    code = "pet_bad_time"
    message = _("The time must be in the past year and not in the future.")
    status = 409  # today's date decides, not the request's shape


class BadPhoto(InvalidInput):
    code = "pet_bad_photo"
    message = _("Photos must be JPEG, PNG or WebP images of at most 5 MB, up to %(max)d per notice.")


class EmptyText(InvalidInput):
    code = "pet_empty_text"
    message = _("Please write a few words.")


class NoticeNotOpen(Conflict):
    code = "pet_notice_not_open"
    message = _("This notice is not open.")


class NotYourNotice(PermissionDenied):
    code = "pet_not_your_notice"
    message = _("Only the notice's author may do this.")


class NotModerator(PermissionDenied):
    code = "pet_not_moderator"
    message = _("Only moderators may do this.")


class AlreadyModerated(Conflict):
    code = "pet_already_moderated"
    message = _("This notice has already been moderated.")


class MessageToSelf(Conflict):  # the notice is the writer's own
    code = "pet_message_to_self"
    message = _("You cannot write to yourself.")


class PhotosAfterModeration(Conflict):
    code = "pet_photos_after_moderation"
    message = _("Photos can be added only while the notice awaits moderation.")
