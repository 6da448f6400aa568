"""The site's navigation, gathered from the apps: an AppConfig may declare ``nav_items``.

Each item is ``(label, url_name, who)`` with ``who`` one of "all", "residents", "staff". Apps
add themselves to the menu without editing the shell.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse


def nav_items(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    items = []
    for config in apps.get_app_configs():
        for label, url_name, who in getattr(config, "nav_items", ()):
            if who == "residents" and not signed_in:
                continue
            if who == "staff" and not (signed_in and user.is_staff):  # type: ignore[union-attr]
                continue
            try:
                url = reverse(url_name)
            except NoReverseMatch:
                continue
            items.append({"label": label, "url": url, "current": request.path.startswith(url) and url != "/"})
    return {"nav_items": items}
