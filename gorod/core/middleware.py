from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from gorod.core.time import city_zone


class CityTimeMiddleware:
    """Show every time in the city's zone: stored UTC, displayed as residents live it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        timezone.activate(city_zone())
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
