"""The one registry of notification kinds: ``notify`` refuses a kind that is not here, and the
preferences page offers exactly these, so every kind that is sent can be turned off.

A test (``test_every_kind_sent_is_offered``) reads every ``notify`` call in the code base and
fails when one sends a kind missing from this registry.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

KINDS: dict[str, Promise] = {
    "problems": _("Our City: my reports, their answers and reports routed to me"),
    "meeting_notice": _("Owners' meetings in my building"),
    "building_news": _("Announcements and news for my building"),
    "news_digest": _("News digest of the topics and districts I follow"),
    "order_ready": _("Orders ready for pickup"),
    "pet_match": _("Possible matches for my pet notices"),
    "pet_message": _("Messages about pet notices"),
    "idea_decision": _("Decisions on my ideas"),
    "photo_contest": _("Photo contests I entered"),
    "discussion_comment": _("Public discussions I took part in"),
}


class UnknownKind(ValueError):
    """A programming error: a service sent a kind residents cannot turn off."""
