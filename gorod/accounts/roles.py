"""Staff roles are Django groups; object-level scope (which partner, building or organisation)
lives in the app that owns those objects."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

OPERATOR = "operator"
MODERATOR = "moderator"
PARTNER_STAFF = "partner_staff"
BUILDING_ADMINISTRATOR = "building_administrator"
ORGANISATION_RESPONDER = "organisation_responder"

ROLE_NAMES = {
    OPERATOR: _("city operator"),
    MODERATOR: _("moderator"),
    PARTNER_STAFF: _("partner staff member"),
    BUILDING_ADMINISTRATOR: _("building administrator"),
    ORGANISATION_RESPONDER: _("organisation responder"),
}
