"""The branded 404 page also when debug is on (the demo).

With DEBUG on, Django answers an unknown URL with its technical page, which lists every route of
the site: a stranger to the demo sees the whole URL map, a resident sees a developer's screen.
This middleware swaps that page (and only that page: a view's own 404 body is left alone) for
the site's 404.html. GOROD_DEBUG_404=1 keeps Django's page for a developer who wants it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import get_resolver

# Django's technical pages (404 and 500) both carry this robots tag; no page of ours does.
TECHNICAL_PAGE_MARK = b'<meta name="robots" content="NONE,NOARCHIVE">'


class BrandedNotFoundMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code == 404
            and settings.DEBUG
            and not getattr(settings, "GOROD_DEBUG_404", False)
            and not getattr(response, "streaming", False)
            and TECHNICAL_PAGE_MARK in response.content
        ):
            # the project's handler404: the API keeps its JSON 404, the site gets its page
            handler = get_resolver().resolve_error_handler(404)
            return handler(request, Http404())  # type: ignore[call-arg]
        return response
