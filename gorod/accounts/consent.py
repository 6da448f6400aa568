"""Consent to the processing of personal data (Federal Law 152-FZ "On Personal Data").

Sign-up records the text the resident was shown, its version and when. When the text changes,
``CONSENT_VERSION`` changes with it and every signed-in resident is asked again on their next
page (``ConsentMiddleware``): until they agree, only signing out, the consent page, their own
data (export and erasure) and unsubscribing stay open.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# Change the version whenever the text below changes in substance.
CONSENT_VERSION = "2026-12-01"
CONSENT_TEXT = _(
    "I agree that the city, as the operator, processes my personal data (name, e-mail, phone, "
    "home district, address and premises I link, and what I submit to the city's services) to "
    'run my account and these services, as Federal Law No. 152-FZ "On Personal Data" allows. '
    "I may withdraw this consent at any time by deleting my account on the My data page; my "
    "personal data are then erased."
)

# Paths a resident may use before agreeing to a new version. The console is staff's workplace:
# their processing there rests on their employment, not on a resident's consent.
OPEN_PATHS = (
    "/console/",
    "/accounts/consent/",
    "/accounts/sign-out/",
    "/privacy/",
    "/notifications/unsubscribe/",
    "/api/",
    "/static/",
    "/theme.css",  # the city's colours (gorod.web.theme), a stylesheet of the page itself
    "/media/",
    "/i18n/",
    "/healthz",
    "/readyz",
    "/metrics",
)


def needs_consent(resident: object) -> bool:
    return getattr(resident, "consent_version", CONSENT_VERSION) != CONSENT_VERSION


class ConsentMiddleware:
    """Ask a signed-in resident for the current consent before any other page (no query: the
    resident row already carries the version they gave)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and needs_consent(user)
            and not request.path.startswith(OPEN_PATHS)
        ):
            target = reverse("accounts:consent")
            if request.method == "GET":
                target += "?" + urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(target)
        return self.get_response(request)
