"""Kinds of notifications residents can tune. Services may use other kinds too; these are the
ones shown on the preferences page."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

KINDS: dict[str, Promise] = {
    "poll_new": _("New polls in my district"),
    "decision_status": _("Progress of decisions I voted on"),
    "report_answer": _("Answers to my reports"),
    "meeting_notice": _("Owners' meetings in my building"),
    "building_news": _("Announcements in my building"),
    "order_ready": _("Orders ready for pickup"),
    "points_received": _("Points received"),
    "pet_match": _("Possible matches for my pet notices"),
    "general": _("Other city news for me"),
}
