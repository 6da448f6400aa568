"""Every map takes its tile layer from one function (gorod/tiles.js, loaded before each map
script): the layer of settings.GOROD_MAP_TILES, none when the setting is empty, and no script
error on any page with a map (a map script run without tiles.js would throw)."""

from __future__ import annotations

import pytest

from gorod.accounts.tests.factories import ResidentFactory
from gorod.web.tests.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC = [
    ("/problems/", "#reports-map"),
    ("/rewards/map/", "#pickup-map"),
    ("/pets/", "#pets-map"),
    ("/voting/decisions/", "#decision-map"),
]
RESIDENT = [("/problems/new/", "#pick-map"), ("/pets/new/", "#pets-picker")]


def _tiles(page, maps: list[tuple[str, str]]) -> dict[str, int]:
    counts = {}
    for url, selector in maps:
        page.goto(url)
        page.locator(f"{selector}.leaflet-container").wait_for(state="attached")
        counts[url] = page.locator(f"{selector} img.leaflet-tile").count()
    return counts


def test_every_map_has_the_sites_tiles_and_none_when_the_setting_is_empty(browser_page, settings):
    page = browser_page
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.route("https://tile.openstreetmap.org/**", lambda route: route.abort())  # no network in tests
    ResidentFactory(username="tiles-resident", level="full")
    assert all(_tiles(page, PUBLIC).values())
    sign_in(page, "tiles-resident")
    assert all(_tiles(page, RESIDENT).values())
    settings.GOROD_MAP_TILES = ""
    assert not any(_tiles(page, RESIDENT + PUBLIC).values())
    assert errors == []
