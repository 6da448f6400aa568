"""The city's own look: name, logo and colours from settings, so another city installs gorod as
its own without editing templates (README "Your city's look").

``GOROD_THEME`` (config/settings.py, from GOROD_CITY_* / GOROD_THEME_* variables) holds:

- ``name``: the city's name per language code (``{"ru": "Город", "en": "Gorod"}``); the first
  entry serves languages it does not list;
- ``logo``: a static path (``gorod/logo.svg``) or an absolute URL of a square logo;
- ``primary``, ``primary_hover``, ``primary_ink``: the brand colour, its hover/pressed shade and
  the text colour on it (keep 4.5:1 contrast between primary and primary_ink, WCAG AA).

The colours reach the page as CSS custom properties in ``/theme.css`` (a static-looking
stylesheet, not an inline <style>: the Content-Security-Policy refuses inline styles).
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.templatetags.static import static
from django.utils import translation
from django.utils.functional import SimpleLazyObject

DEFAULTS: dict[str, Any] = {
    "name": {"ru": "Город", "en": "Gorod"},
    "logo": "gorod/logo.svg",
    "primary": "#b3122a",
    "primary_hover": "#8c0e21",
    "primary_ink": "#ffffff",
}
_COLOUR = re.compile(r"^#[0-9a-fA-F]{3,8}$")


def theme() -> dict[str, Any]:
    return {**DEFAULTS, **getattr(settings, "GOROD_THEME", {})}


def city_name(language: str | None = None) -> str:
    names = theme()["name"]
    if isinstance(names, str):
        return names
    language = (language or translation.get_language() or "ru")[:2]
    return str(names.get(language) or next(iter(names.values())))


def logo_url() -> str:
    logo = str(theme()["logo"])
    return logo if logo.startswith(("http://", "https://", "/")) else static(logo)


def stylesheet() -> str:
    """The custom properties the site's CSS and Pico read; a colour that is not a hex value is
    dropped (a typo must not inject CSS)."""
    values = theme()
    colours = {
        key: values[key]
        for key in ("primary", "primary_hover", "primary_ink")
        if _COLOUR.match(str(values[key]))
    }
    lines = [":root {"]
    if "primary" in colours:
        lines += [
            f"  --city-primary: {colours['primary']};",
            f"  --pico-primary: {colours['primary']};",
            f"  --pico-primary-background: {colours['primary']};",
            f"  --pico-primary-border: {colours['primary']};",
            f"  --pico-primary-underline: {colours['primary']}80;",
            f"  --pico-primary-focus: {colours['primary']}40;",
        ]
    if "primary_hover" in colours:
        lines += [
            f"  --city-primary-hover: {colours['primary_hover']};",
            f"  --pico-primary-hover: {colours['primary_hover']};",
            f"  --pico-primary-hover-background: {colours['primary_hover']};",
            f"  --pico-primary-hover-border: {colours['primary_hover']};",
        ]
    if "primary_ink" in colours:
        lines += [
            f"  --city-primary-ink: {colours['primary_ink']};",
            f"  --pico-primary-inverse: {colours['primary_ink']};",
        ]
    return "\n".join([*lines, "}", ""])


def city(request: HttpRequest) -> dict[str, Any]:
    """Context processor: the city's name and logo, and the signed-in resident's unread
    notifications for the header."""
    context: dict[str, Any] = {
        "city_name": city_name(),
        "city_logo": logo_url(),
        "map_tiles": settings.GOROD_MAP_TILES,
        "map_attribution": settings.GOROD_MAP_ATTRIBUTION,
    }
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        from gorod.notifications.selectors import unread_count

        # lazy: partial (htmx) renders that never show the header cost no query
        context["unread_count"] = SimpleLazyObject(lambda: unread_count(user))
    return context
