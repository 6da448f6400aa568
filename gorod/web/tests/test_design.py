"""The city's look from settings, the one-button language switch, the unread count and the
branded error pages (issue 23)."""

from __future__ import annotations

import re

import pytest

from gorod.accounts.tests.factories import ResidentFactory
from gorod.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_theme_stylesheet_carries_the_city_colours_and_refuses_anything_else(client, settings):
    settings.GOROD_THEME = {
        "primary": "#0055aa",
        "primary_hover": "red;}body{display:none",
        "primary_ink": "#fff",
    }
    response = client.get("/theme.css")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    css = response.content.decode()
    assert "--city-primary: #0055aa;" in css and "--pico-primary: #0055aa;" in css
    assert "display:none" not in css and "--city-primary-hover" not in css


def test_header_shows_the_city_name_and_logo_from_settings(client, settings):
    settings.GOROD_THEME = {"name": {"ru": "Тверь", "en": "Tver"}, "logo": "https://example.org/tver.svg"}
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<img src="https://example.org/tver.svg"' in page and "<span>Tver</span>" in page
    assert "<title>Home · Tver</title>" in page
    client.cookies["django_language"] = "ru"
    assert "<span>Тверь</span>" in client.get("/").content.decode()


def test_language_switch_is_one_button_that_keeps_the_page(client):
    page = client.get("/voting/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    buttons = re.findall(r'<button type="submit" name="language" value="(\w+)"', page)
    assert buttons == ["ru"]
    response = client.post("/i18n/setlang/", {"language": "ru", "next": "/voting/"})
    assert response.status_code == 302 and response["Location"] == "/voting/"
    page = client.get("/voting/").content.decode()
    assert '<html lang="ru"' in page
    assert re.findall(r'name="language" value="(\w+)"', page) == ["en"]


def test_header_counts_unread_notifications(client):
    resident = ResidentFactory()
    for n in range(3):
        Notification.objects.create(resident=resident, kind="test", event_key=f"e{n}", title=f"T{n}")
    Notification.objects.filter(event_key="e0").update(read_at="2026-01-01T00:00:00Z")
    client.force_login(resident)
    page = client.get("/points/how/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert re.search(r'<span class="count">2<span class="visually-hidden"> unread</span></span>', page)


def test_phone_menu_works_without_javascript(client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # a checkbox and its label open the menu; the CSS does the rest (no script involved)
    assert '<input type="checkbox" id="menu-toggle" class="menu-toggle"' in page
    assert '<label for="menu-toggle" class="menu-button">' in page
    assert 'id="site-menu"' in page


@pytest.mark.parametrize("debug", [False, True])
def test_unknown_url_gets_the_branded_404_even_in_the_demo(client, settings, debug):
    settings.DEBUG = debug
    response = client.get("/no-such-page/here/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page and 'class="site-header"' in page
    assert "URLconf" not in page and "console/" not in page


def test_developers_can_have_djangos_404_back(client, settings):
    settings.DEBUG = True
    settings.GOROD_DEBUG_404 = True
    assert "URLconf" in client.get("/no-such-page/").content.decode()


def test_robots_txt_keeps_crawlers_out_of_the_console_and_the_api(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    assert "Disallow: /console/" in response.content.decode()


def test_only_the_closest_section_tab_is_current(client):
    # /points/ is a prefix of /points/how/: one tab is the page the resident is on, not two
    client.force_login(ResidentFactory())
    page = client.get("/points/how/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert page.count('aria-current="page"') == 1
    assert re.search(r'<a href="/points/how/" aria-current="page">', page)


def test_maps_take_their_tiles_from_settings_and_none_when_empty(client, settings):
    page = client.get("/problems/").content.decode()
    assert '<meta name="gorod-map-tiles" content="https://tile.openstreetmap.org/{z}/{x}/{y}.png"' in page
    settings.GOROD_MAP_TILES = "https://tiles.example.city/{z}/{x}/{y}.png"
    assert 'content="https://tiles.example.city/{z}/{x}/{y}.png"' in client.get("/problems/").content.decode()
    settings.GOROD_MAP_TILES = ""
    page = client.get("/voting/decisions/").content.decode()
    assert 'data-tiles=""' in page and "tile.openstreetmap.org" not in page
    # the place picker of budget projects too (it had the OpenStreetMap address written in)
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    picker = render_to_string("accounts/_place_pick.html", {}, request=RequestFactory().get("/"))
    assert 'data-tiles=""' in picker and "tile.openstreetmap.org" not in picker
    settings.GOROD_MAP_TILES = "https://tiles.example.city/{z}/{x}/{y}.png"
    picker = render_to_string("accounts/_place_pick.html", {}, request=RequestFactory().get("/"))
    assert 'data-tiles="https://tiles.example.city/{z}/{x}/{y}.png"' in picker


def test_a_refused_page_is_the_sites_own_in_the_readers_language(client):
    # a resident who opens a staff page (a link shared by a moderator) gets the site's page, with
    # the header, what happened and a way back, not Django's bare English "403 Forbidden"
    client.force_login(ResidentFactory())
    response = client.get("/problems/moderation/", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 403
    page = response.content.decode()
    assert 'class="site-header"' in page and '<html lang="ru"' in page
    assert "Forbidden" not in page
    assert "Эта страница недоступна вашей учётной записи." in page
    assert "Нет доступа" in page and 'href="/"' in page


@pytest.mark.parametrize(
    ("role", "section", "shown", "hidden"),
    [
        ("partner_staff", "/problems/", [], ["/problems/queue/", "/problems/moderation/"]),
        ("partner_staff", "/rewards/", ["/rewards/desk/"], []),
        ("moderator", "/rewards/", [], ["/rewards/desk/"]),
        ("moderator", "/problems/", ["/problems/moderation/"], ["/problems/queue/"]),
        ("moderator", "/voting/discussions/", ["/voting/discussions/moderation/"], []),
        ("building_administrator", "/voting/discussions/", [], ["/voting/discussions/moderation/"]),
        ("organisation_responder", "/problems/", ["/problems/queue/"], ["/problems/moderation/"]),
        ("operator", "/problems/", ["/problems/moderation/"], ["/problems/queue/"]),
    ],
)
def test_a_staff_member_gets_tabs_only_for_the_staff_pages_of_their_role(
    client, role, section, shown, hidden
):
    # every staff tab was shown to every staff member: a partner at the desk had "Reports to
    # answer" and "Moderation of reports" in Our City, each a 403
    client.force_login(ResidentFactory(roles=[role], is_staff=True))
    page = client.get(section, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for url in shown:
        assert f'href="{url}"' in page
    for url in hidden:
        assert f'href="{url}"' not in page
