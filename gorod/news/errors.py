from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gorod.core.errors import InvalidInput


class InvalidPlate(InvalidInput):
    code = "invalid_car_plate"
    message = _("This is not a Russian car plate number (for example А123ВС77).")


class InvalidLink(InvalidInput):
    code = "invalid_service_link"
    message = _("A link is a site path starting with / or an https:// address.")
