"""Load before a worker takes traffic what its first request would otherwise load.

A fresh gunicorn worker answered its first request in 0.6-4 s and its hundredth in
milliseconds: importing every view and API module behind the URL resolver took ~1.2 s, the
translation catalogues and each page's compiled template the rest. A deploy or a worker
recycled by --max-requests under traffic made some resident wait for that. ``warm_up`` does it
while the WSGI application is loaded, which gunicorn does before the worker accepts connections.
It touches no database: a connection opened here could be shared across a fork.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from django.conf import settings
from django.template import TemplateDoesNotExist, TemplateSyntaxError, engines
from django.template.utils import get_app_template_dirs
from django.urls import get_resolver
from django.utils import translation

from gorod.web import navigation

log = logging.getLogger("gorod.warmup")


def _template_names() -> list[str]:
    """The project's own templates (the apps' templates/ folders), not those of libraries."""
    names: list[str] = []
    for directory in get_app_template_dirs("templates"):
        root = Path(directory)
        if root.is_relative_to(settings.BASE_DIR / "gorod"):
            names.extend(str(path.relative_to(root)) for path in root.rglob("*.html"))
    return names


def warm_up() -> None:
    started = time.perf_counter()
    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018  (imports every view and API module)
    resolver._populate()  # the reverse() tables, built on the first reverse() otherwise
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Home")
    # Every page's header reverses some 30 names, most through a namespace: each namespace's
    # resolver is built and populated on its first reverse() (~0.1 s of a fresh worker's first
    # page after the rest of this warm-up), and the navigation keeps the URLs per process.
    try:
        navigation.warm_up()
    except Exception:  # a warm-up must never keep a worker from serving: its first page would do it
        log.warning("navigation warm-up failed", exc_info=True)
    compiled = 0
    for name in _template_names():
        try:
            engines["django"].get_template(name)
            compiled += 1
        except (TemplateDoesNotExist, TemplateSyntaxError):
            continue
    log.info(
        "worker warmed up",
        extra={"templates": compiled, "duration_ms": round((time.perf_counter() - started) * 1000, 1)},
    )
