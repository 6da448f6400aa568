"""Resident pages of meters: a meter, its readings and the reading form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from gorod.accounts.edge import resident_of
from gorod.core.errors import DomainError
from gorod.core.time import city_today
from gorod.housing.meters import rules as meters_rules
from gorod.housing.meters import selectors as meters_selectors
from gorod.housing.meters import services as services_meters


@login_required
def meter_detail(request: HttpRequest, meter_id: int) -> HttpResponse:
    try:
        meter = meters_selectors.meter_for(resident_of(request), meter_id)
    except DomainError as exc:
        raise Http404(exc.text) from None
    error = ""
    submitted = [request.POST.get(f"value_{i}", "") for i in range(1, meter.tariffs + 1)]
    if request.method == "POST":
        try:
            reading = services_meters.reading_submit(
                meter=meter, resident=resident_of(request), values=submitted
            )
        except DomainError as exc:
            error = exc.text
        else:
            if reading.flagged:
                messages.warning(
                    request, _("Reading accepted, but it looks unusual; the administrator will check it.")
                )
            else:
                messages.success(request, _("Reading accepted."))
            return redirect("housing:meter", meter_id=meter.pk)
    history = meters_selectors.meter_history(meter)
    return render(
        request,
        "housing/meter.html",
        {
            "meter": meter,
            "history": history,
            "chart": meters_selectors.consumption_chart(history),
            "unit": meters_rules.UNITS[meter.resource],
            "tariff_fields": [
                (f"value_{i}", submitted[i - 1] if request.method == "POST" else "")
                for i in range(1, meter.tariffs + 1)
            ],
            "error": error,
            "window": meters_selectors.window_state(meter, city_today()),
        },
        status=422 if error else 200,
    )
