"""The site's navigation, gathered from the apps: an AppConfig may declare ``nav_items``.

Each item is ``(label, url_name, who)`` with ``who`` one of "all", "residents", or a tuple of
the staff roles (gorod.accounts.roles) whose work the page is: a staff page that a role may not
open is no tab of its (a partner's desk refused a moderator with 403, the Our City queue a
partner). The header shows each service once (its first visible item); on a service's own pages a second row
shows all of that service's items. Apps add themselves without editing the shell.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

from gorod.accounts.permissions import has_role


@dataclass(frozen=True)
class NavItem:
    app_label: str
    label: Any
    url: str
    current: bool


@functools.cache
def _resolved(prefix: str, urlconf: str) -> tuple[tuple[str, Any, str, Any], ...]:
    """Every app's items with their URLs, once per process (per script prefix and URLconf):
    reversing some 30 names cost every page render more than the rest of the header."""
    items = []
    for config in apps.get_app_configs():
        for label, url_name, who in getattr(config, "nav_items", ()):
            try:
                url = reverse(url_name, urlconf=urlconf)
            except NoReverseMatch:
                continue
            items.append((config.label, label, url, who))
    return tuple(items)


def warm_up() -> None:
    """Resolve every item's URL now (config.warmup: before the worker takes traffic)."""
    _resolved(get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


def public_urls() -> list[str]:
    """The pages of the header anyone may open signed out (config.warmup answers them first)."""
    urls = _resolved(get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    return [url for _app, _label, url, who in urls if who == "all"]


def visible_items(request: HttpRequest) -> list[NavItem]:
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    # staff roles go with the console flag: a resident's page asks the database nothing more
    is_staff = bool(signed_in and user.is_staff)  # type: ignore[union-attr]
    items = []
    for app_label, label, url, who in _resolved(get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF):
        if who == "residents" and not signed_in:
            continue
        if isinstance(who, tuple) and not (is_staff and any(has_role(user, role) for role in who)):
            continue
        current = url != "/" and request.path.startswith(url)
        items.append(NavItem(app_label, label, url, current))
    return items


def nav_items(request: HttpRequest) -> dict[str, Any]:
    items = visible_items(request)
    match = getattr(request, "resolver_match", None)
    here = match.app_name if match is not None else ""
    top: dict[str, NavItem] = {}
    for item in items:
        if item.app_label not in top:
            top[item.app_label] = NavItem(item.app_label, item.label, item.url, item.app_label == here)
    section = [item for item in items if item.app_label == here]
    # /rewards/ is a prefix of /rewards/desk/: only the closest match is the current tab
    best = max((item for item in section if item.current), key=lambda item: len(item.url), default=None)
    section = [NavItem(i.app_label, i.label, i.url, i is best) for i in section]
    return {"nav_items": list(top.values()), "section_nav": section if len(section) > 1 else []}
