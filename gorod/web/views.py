from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gorod.points import selectors as points_selectors
from gorod.web.dashboard import dashboard
from gorod.web.services_catalogue import available_services


def home(request: HttpRequest) -> HttpResponse:
    context: dict[str, object] = {"services": available_services(request)}
    if request.user.is_authenticated:
        context["balance"] = points_selectors.balance(request.user)  # type: ignore[arg-type]
        context["board"] = dashboard(request.user)
    return render(request, "web/home.html", context)
