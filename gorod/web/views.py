from __future__ import annotations

import logging

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotFound
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import defaults

from gorod.core.cache.public_cache import public_cache
from gorod.web import theme
from gorod.web.dashboard import dashboard
from gorod.web.services_catalogue import available_services

log = logging.getLogger(__name__)


@public_cache
def home(request: HttpRequest) -> HttpResponse:
    context: dict[str, object] = {"services": available_services(request)}
    if request.user.is_authenticated:
        board = dashboard(request.user)
        context["balance"] = board.balance
        context["board"] = board
    return render(request, "web/home.html", context)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The site's 404 page (404.html, with the header and the menu); a plain page when that
    cannot render (static files not collected yet, a broken template): a 404 must stay a 404."""
    try:
        return defaults.page_not_found(request, exception or Http404())
    except Exception:  # a failing error page would turn every unknown URL into a 500
        log.exception("the 404 page could not render; a plain one was sent")
        return HttpResponseNotFound(
            f"<!doctype html><title>{_('Page not found')}</title><h1>{_('Page not found')}</h1>"
            f'<p><a href="/">{_("Back to the home page")}</a></p>'
        )


def theme_css(request: HttpRequest) -> HttpResponse:
    """The city's colours as CSS custom properties (gorod/web/theme.py); cached for a day, the
    settings change only with a deployment."""
    response = HttpResponse(theme.stylesheet(), content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "private, max-age=86400"  # "private" so the signed-in rule leaves it be
    return response


def robots_txt(request: HttpRequest) -> HttpResponse:
    """Search engines may index the public pages; the console and the API are no business of
    theirs."""
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW), ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


# only what is no page at all for a reader; signed-in pages keep themselves out by their sign-in
ROBOTS_DISALLOW = ("/console/", "/api/", "/i18n/")
