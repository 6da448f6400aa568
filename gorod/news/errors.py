from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gorod.core.errors import Conflict, InvalidInput


class InvalidPlate(InvalidInput):
    code = "invalid_car_plate"
    message = _("This is not a Russian car plate number (for example А123ВС77).")


class UnknownAddress(Conflict):  # the register decides, not the request's shape
    code = "unknown_address"
    message = _("There is no such address in the city's register.")


class InvalidLink(InvalidInput):
    code = "invalid_service_link"
    message = _("A link is a site path starting with / or an https:// address.")


class UnknownFollow(Conflict):  # the city's topics and districts decide, not the request's shape
    code = "news_unknown_follow"
    message = _("There is no such news topic or district.")
