from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from gorod.accounts.edge import resident_of
from gorod.core.errors import DomainError
from gorod.notifications import selectors, services
from gorod.notifications.kinds import KINDS


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("page", "1")
    page = selectors.inbox(resident_of(request), page=int(raw) if raw.isdigit() else 1)
    return render(request, "notifications/inbox.html", {"page": page})


@login_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    services.notifications_mark_read(resident=resident_of(request))
    return redirect("notifications:inbox")


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        for kind in KINDS:
            services.preference_set(
                resident=resident_of(request),
                kind=kind,
                by_email=request.POST.get(f"email_{kind}") == "on",
            )
        messages.success(request, _("Preferences saved."))
        return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {"kinds": selectors.preferences(resident_of(request))},
    )


@csrf_exempt  # RFC 8058: the mail client POSTs with no session; the signed token is the proof
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """One-click unsubscribe: the link shows a confirmation; the POST (RFC 8058) applies it."""
    if request.method == "POST":
        try:
            preference = services.unsubscribe(token=token)
        except DomainError as error:
            return render(request, "notifications/unsubscribe.html", {"error": error.text}, status=400)
        return render(
            request,
            "notifications/unsubscribe.html",
            {"done": True, "label": KINDS.get(preference.kind, preference.kind)},
        )
    return render(request, "notifications/unsubscribe.html", {"token": token})
