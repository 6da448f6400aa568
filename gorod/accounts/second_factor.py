"""Staff second factor (django-otp): operators, moderators, building administrators, partner staff,
organisation responders and admins open the console and the staff pages only after a one-time
code from an authenticator app (TOTP) or one of their recovery codes, once per session.

Enforced when ``settings.GOROD_STAFF_SECOND_FACTOR`` is on (the default when debug is off); the
staff pages are the paths matching ``settings.GOROD_STAFF_PATHS``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from gorod.accounts import permissions, roles


def is_staff_member(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or user.is_staff:
        return True
    return any(permissions.has_role(user, role) for role in roles.ROLE_NAMES)


@functools.cache
def _staff_paths(patterns: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns) or r"(?!)")


def is_staff_path(path: str) -> bool:
    return bool(_staff_paths(tuple(settings.GOROD_STAFF_PATHS)).match(path))


def needs_second_factor(request: HttpRequest) -> bool:
    """A signed-in staff member, on a staff page, without a second factor in this session."""
    if not settings.GOROD_STAFF_SECOND_FACTOR or not is_staff_path(request.path):
        return False
    user = getattr(request, "user", None)
    if not is_staff_member(user):
        return False
    return not user.is_verified()  # type: ignore[union-attr]  # set by django-otp's middleware


class StaffSecondFactorMiddleware:
    """After django-otp's OTPMiddleware: sends unverified staff to the second-factor page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if needs_second_factor(request):
            target = reverse("accounts:second_factor") + "?" + urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(target)
        return self.get_response(request)
