"""The signed-in resident at the edge, typed: one way for pages and the API to ask who is asking.

``request.user`` is typed ``Resident | AnonymousUser``, so every view that passed it on to a
service needed a ``# type: ignore``. ``resident_of`` narrows it once. An anonymous request is
refused the way each edge already refuses it: ``NotSignedIn`` is ninja's ``AuthenticationError``,
which the API answers with its 401 ``not_authenticated`` body, and ``NotSignedInMiddleware`` turns
it into the sign-in redirect on the site (what ``login_required`` does), so a page that forgot the
decorator sends the visitor to sign in rather than failing with a 500.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from ninja.errors import AuthenticationError

from gorod.accounts.models import Resident


class NotSignedIn(AuthenticationError):
    """The request carries no signed-in resident (no session, no valid token)."""


def resident_of(request: HttpRequest) -> Resident:
    """The signed-in resident making this request; ``NotSignedIn`` for an anonymous one."""
    user = getattr(request, "user", None)
    if isinstance(user, Resident) and user.is_authenticated:
        return user
    raise NotSignedIn()


def resident_or_none(request: HttpRequest) -> Resident | None:
    """The signed-in resident, or None on a public page or endpoint read anonymously."""
    user = getattr(request, "user", None)
    if isinstance(user, Resident) and user.is_authenticated:
        return user
    return None


class NotSignedInMiddleware:
    """On the site, a ``NotSignedIn`` raised by a view becomes the sign-in redirect (the API
    catches it first and answers 401)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, NotSignedIn):
            return redirect_to_login(request.get_full_path())
        return None
