"""Every page of the demo city reads in one language: no English word in Russian, no Cyrillic in
English (issue 23).

Each demo role signs in, starts at the home page and follows the site's own links (one page per
URL shape, a bounded number per role) through Django's test client; the visible text of every
page (tags, scripts and styles stripped; labels a screen reader reads kept) is checked word by
word. Names and codes that are the same in both languages are in a short allow-list below,
reviewed: add to it only a brand, a code or a person's name, never a word a translation is
missing for.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from gorod.accounts.models import Resident

pytestmark = pytest.mark.django_db

SEEDED = dt.datetime(2026, 12, 5, 10, 0, tzinfo=ZoneInfo("Europe/Moscow"))
ROLES = [None, "anna", "boris", "vera", "operator", "moderator", "partner", "housing", "responder"]
PAGES_PER_ROLE = 45
SKIP = re.compile(
    r"^/(admin|api|static|media|i18n|accounts/logout|logout|oidc|__)|\.(pdf|csv|json|xml|ics|png|svg|geojson|zip)$"
)

# Latin words a Russian page may show: brands, codes, units and the demo residents' names (they
# are what each resident typed at sign-up, shown as written).
LATIN_ALLOWED = {
    "gorod",
    "api",
    "pdf",
    "qr",
    "csv",
    "json",
    "geojson",
    "openapi",
    "open311",
    "georeport",
    "html",
    "url",
    "id",
    "sms",
    "wi",
    "fi",
    "mt_free",
    "gto",
    "htmx",
    "osm",
    "openstreetmap",
    "leaflet",
    "merkle",
    "sha",
    "utc",
    "msk",
    "km",
    "demo",
    "gorod-demo",
    # the demo residents' sign-up names and logins
    "anna",
    "petrova",
    "boris",
    "ivanov",
    "vera",
    "sokolova",
    "gleb",
    "smirnov",
    "olga",
    "operator",
    "mikhail",
    "moderator",
    "pavel",
    "partner",
    "hanna",
    "administrator",
    "roman",
    "responder",
    "neighbour",
    "housing",
    # the language switch (its codes), file formats and feeds offered for download
    "en",
    "ru",
    "jpeg",
    "png",
    "webp",
    "excel",
    "word",
    "rss",
    "atom",
    "usb",
    "e-mail",
    # codes a resident types or reads out as they are: the demo quest's code word, the metro
    # Wi-Fi network, the word that confirms erasing an account
    "linden",
    "wi-fi",
    "delete",
}


class _VisibleText(HTMLParser):
    """The text a reader sees or hears: text nodes and the labels of controls, not code. A part
    declared in another language (``lang="en"`` inside an ``<html lang="ru">`` page, as the
    language switch names the other language in its own words, WCAG 3.1.2) is not the page's
    language and is left out."""

    LABELS = ("alt", "title", "placeholder", "aria-label")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self._hidden = 0
        self._page_language = ""
        self._foreign: list[str] = []  # open elements declared in another language

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if self._foreign and tag == self._foreign[-1]:  # nested alike: its end tag closes it, not the part
            self._foreign.append(tag)
            self._hidden += 1
            return
        if tag == "html":
            self._page_language = values.get("lang") or ""
        elif values.get("lang") and self._page_language and values["lang"] != self._page_language:
            self._foreign.append(tag)
            self._hidden += 1
            return
        if tag in ("script", "style", "template", "code", "pre", "kbd", "samp"):
            self._hidden += 1
        self.parts.extend(v for k, v in values.items() if k in self.LABELS and v)
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.parts.append(values["value"] or "")

    def handle_endtag(self, tag: str) -> None:
        if self._foreign and tag == self._foreign[-1]:
            self._foreign.pop()
            self._hidden -= 1
            return
        if tag in ("script", "style", "template", "code", "pre", "kbd", "samp") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def _shape(path: str) -> str:
    return re.sub(r"\d+", "N", re.sub(r"[0-9a-f]{16,}|[A-Z0-9]{6,}", "X", path))


def _crawl(client: Client) -> dict[str, str]:
    """Visible text of the pages reachable from the home page, one per URL shape."""
    seen_shapes: set[str] = set()
    queue = ["/"]
    pages: dict[str, str] = {}
    while queue and len(pages) < PAGES_PER_ROLE:
        path = queue.pop(0)
        shape = _shape(path)
        if shape in seen_shapes:
            continue
        seen_shapes.add(shape)
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        parser = _VisibleText()
        parser.feed(response.content.decode())
        pages[path] = " ".join(parser.parts)
        for href in parser.links:
            href = href.split("#")[0]
            local = href.startswith("/") and not href.startswith("//")
            if local and not SKIP.search(href.split("?")[0]) and _shape(href) not in seen_shapes:
                queue.append(href)
    return pages


def _foreign_words(text: str, language: str) -> set[str]:
    if language == "ru":
        # A Latin word: letters only (codes like N12, 3000 K or e-mail addresses are not words).
        words = {w for w in re.findall(r"(?<![\w@.\-])[A-Za-z][A-Za-z'_\-]+(?![\w@\-])", text)}
        # Generated codes (a resident's mission code, an order code) are capitals of any kind.
        return {
            w
            for w in words
            if w.lower() not in LATIN_ALLOWED and len(w) > 1 and not (w.isupper() and len(w) >= 6)
        }
    # A Russian car plate (the example the interests form gives) is written in Cyrillic in any language.
    text = re.sub(r"[АВЕКМНОРСТУХ]\d{3}[АВЕКМНОРСТУХ]{2}\d{2,3}", "", text)
    return set(re.findall(r"[А-Яа-яЁё]+", text))


@pytest.fixture
def demo_city(db):
    # Seeded as the demo command runs: in the site's default language, whatever a previous
    # test left active in this thread.
    with time_machine.travel(SEEDED, tick=False), translation.override(settings.LANGUAGE_CODE):
        call_command("seed_demo", verbosity=0)
        yield


def _report(findings: dict[str, dict[str, str]]) -> str:
    return "\n".join(
        f"{word!r}: {len(where)} pages, e.g. {sorted(where)[:3]}" for word, where in sorted(findings.items())
    )


@pytest.mark.parametrize("language", ["ru", "en"])
def test_every_page_of_the_demo_city_reads_in_one_language(demo_city, language):
    findings: dict[str, set[str]] = defaultdict(set)
    visited = 0
    for username in ROLES:
        client = Client()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        if username:
            client.force_login(Resident.objects.get(username=username))
        pages = _crawl(client)
        visited += len(pages)
        for path, text in pages.items():
            for word in _foreign_words(text, language):
                findings[word].add(f"{username or 'visitor'}:{path}")
    assert visited > 60, f"the crawl reached only {visited} pages"
    assert not findings, f"{len(findings)} words not in {language}:\n" + _report(findings)
