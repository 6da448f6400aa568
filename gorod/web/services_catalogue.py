"""The city's own services as the home page lists them; links appear once the app serves them."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class CityService:
    name: Promise
    summary: Promise
    url_name: str


SERVICES = [
    CityService(
        _("Active Citizen"), _("Vote on city decisions the city promises to carry out."), "voting:index"
    ),
    CityService(_("Electronic Home"), _("Your building: meters, bills, owners' meetings."), "housing:index"),
    CityService(_("Our City"), _("Report a problem and get an answer within a deadline."), "problems:index"),
    CityService(_("Mission City"), _("Take on challenges and earn points."), "missions:index"),
    CityService(_("Million Prizes"), _("Spend points on rewards or give them to charity."), "rewards:index"),
    CityService(_("City of Ideas"), _("Suggest and support ideas for the city."), "ideas:index"),
    CityService(_("News"), _("City news chosen for you."), "news:index"),
    CityService(_("Lost and found pets"), _("Help pets get home."), "pets:index"),
]


def available_services() -> list[tuple[CityService, str]]:
    found = []
    for service in SERVICES:
        try:
            found.append((service, reverse(service.url_name)))
        except NoReverseMatch:
            continue
    return found
