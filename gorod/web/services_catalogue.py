"""The city's own services as the home page lists them, linked to each service's first page."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from gorod.web.navigation import visible_items


@dataclass(frozen=True)
class CityService:
    app_label: str
    name: Promise
    summary: Promise


SERVICES = [
    CityService("voting", _("Active Citizen"), _("Vote on city decisions the city promises to carry out.")),
    CityService("housing", _("Electronic Home"), _("Your building: meters, bills, owners' meetings.")),
    CityService("problems", _("Our City"), _("Report a problem and get an answer within a deadline.")),
    CityService("missions", _("Mission City"), _("Take on challenges and earn points.")),
    CityService("rewards", _("Million Prizes"), _("Spend points on rewards or give them to charity.")),
    CityService("ideas", _("City of Ideas"), _("Suggest and support ideas for the city.")),
    CityService("news", _("News"), _("City news chosen for you.")),
    CityService("pets", _("Lost and found pets"), _("Help pets get home.")),
]


def available_services(request: HttpRequest) -> list[tuple[CityService, str]]:
    first_url: dict[str, str] = {}
    for item in visible_items(request):
        first_url.setdefault(item.app_label, item.url)
    return [(service, first_url[service.app_label]) for service in SERVICES if service.app_label in first_url]
