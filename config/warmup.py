"""Load before a worker takes traffic what its first request would otherwise load.

A fresh gunicorn worker answered its first request in 0.6-4 s and its hundredth in
milliseconds: importing every view and API module behind the URL resolver took ~1.2 s, the
translation catalogues and each page's compiled template the rest. A deploy or a worker
recycled by --max-requests under traffic made some resident wait for that. ``warm_up`` does it
while the WSGI application is loaded, which gunicorn does before the worker accepts connections.

That still left the first page at ~50 ms against ~8 ms steady (issue 29): the worker's database
connection was opened by a resident's request, and the first query of each kind, the shared lists
(gorod.core.cache.shared_cache) and each language's first page were paid for by one. So
``warm_up(application)`` then answers ``GOROD_WARM_UP_PATHS`` itself, signed out, in each language,
through the whole application (the same middleware, views and database as a resident's request).
The connection opened by them is the one the worker keeps (persistent connections). If the
application is loaded before gunicorn forks (``--preload``), connections are closed before each
fork, so no two processes ever share one.
"""

from __future__ import annotations

import io
import logging
import os
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections
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


def _host() -> str:
    """A name the application accepts (ALLOWED_HOSTS), so the requests are not refused as 400."""
    for host in settings.ALLOWED_HOSTS:
        name = host.lstrip(".")
        if name and "*" not in name:
            return name
    return "localhost"


def _environ(path: str, language: str) -> dict[str, Any]:
    path, _, query = path.partition("?")
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": _host(),
        "SERVER_PORT": "443",
        "HTTP_HOST": _host(),
        "HTTP_ACCEPT_LANGUAGE": language,
        "HTTP_X_REQUEST_ID": "warm-up",
        "REMOTE_ADDR": "127.0.0.1",
        # as the proxy in front says it (SECURE_SSL_REDIRECT would answer http with a redirect)
        "wsgi.url_scheme": "https",
        "HTTP_X_FORWARDED_PROTO": "https",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def first_requests(application: Callable[..., Iterable[bytes]], paths: Iterable[str]) -> dict[str, int]:
    """Answer each path in each language through ``application``; {path: status} of the last.
    Stops at the first answer the server could not give (5xx: the database not there yet, say):
    the worker then starts as it would have without it."""
    statuses: dict[str, int] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        statuses[current] = int(status.split()[0])
        return lambda _data: None

    for current in paths:
        for code, _name in settings.LANGUAGES:
            body = application(_environ(current, code), start_response)
            try:
                b"".join(body)
            finally:
                getattr(body, "close", lambda: None)()
            if statuses.get(current, 500) >= 500:
                log.warning(
                    "warm-up request answered %s, stopping", statuses.get(current), extra={"path": current}
                )
                return statuses
    return statuses


_fork_hook: list[bool] = []


def _close_idle_connections() -> None:
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:  # a transaction in progress is its owner's to end
            connection.close()


def _close_connections_before_forks() -> None:
    """The warm-up's connections are closed before any fork that follows (gunicorn --preload):
    a child opens its own rather than sharing the parent's socket. Registered once a process."""
    if not _fork_hook:
        os.register_at_fork(before=_close_idle_connections)
        _fork_hook.append(True)


def _paths(configured: Iterable[str]) -> list[str]:
    """The configured paths, ``navigation`` standing for every page of the header anyone may
    open signed out (gorod.web.navigation), in the header's order, each once."""
    paths: list[str] = []
    for entry in configured:
        for path in navigation.public_urls() if entry == "navigation" else [entry]:
            if path not in paths:
                paths.append(path)
    return paths


def warm_up(application: Callable[..., Iterable[bytes]] | None = None) -> None:
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
    statuses: dict[str, int] = {}
    if application is not None and settings.GOROD_WARM_UP_PATHS:
        _close_connections_before_forks()
        try:
            statuses = first_requests(application, _paths(settings.GOROD_WARM_UP_PATHS))
        except Exception:  # never keep a worker from serving
            log.warning("warm-up requests failed", exc_info=True)
    log.info(
        "worker warmed up",
        extra={
            "templates": compiled,
            "requests": statuses,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
        },
    )
