"""The resident's home page of Electronic Home: what each sub-domain has for them, gathered."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gorod.accounts.edge import resident_of
from gorod.housing.billing import selectors as billing_selectors
from gorod.housing.board import selectors as selectors_board
from gorod.housing.buildings import selectors as buildings_selectors
from gorod.housing.buildings.forms import LinkRequestForm
from gorod.housing.buildings.selectors import HousingBuildingDirectory
from gorod.housing.meters import selectors as meters_selectors
from gorod.housing.surveys.selectors import surveys_of


@login_required
def home(request: HttpRequest) -> HttpResponse:
    me = resident_of(request)
    from gorod.housing.meetings import selectors as selectors_meetings

    return render(
        request,
        "housing/home.html",
        {
            "links": list(buildings_selectors.my_links(me)[:20]),
            "meters": list(meters_selectors.my_meters(me)[:30]),
            "bills": [b for b in billing_selectors.my_bills(me)[:6] if not b.is_paid],
            "meetings": list(selectors_meetings.my_meetings(me)[:10]),
            "surveys": surveys_of(HousingBuildingDirectory().buildings_of(int(me.pk or 0))),
            "link_form": LinkRequestForm(),
            "board_buildings": list(selectors_board.my_buildings(me)),
        },
    )
