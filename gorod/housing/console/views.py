"""Building administrator pages: link requests, flagged readings, register import."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gorod.accounts.edge import resident_of
from gorod.core.errors import DomainError
from gorod.core.time import city_today
from gorod.housing import permissions
from gorod.housing.buildings import selectors as buildings_selectors
from gorod.housing.buildings import services as services_buildings
from gorod.housing.console.forms import ReadingsImportForm, RegisterImportForm
from gorod.housing.edge import read_table
from gorod.housing.meetings import selectors as selectors_meetings
from gorod.housing.meters import selectors as meters_selectors
from gorod.housing.meters import services_table
from gorod.housing.models import Building, PremiseLink


def _staff_or_404(request: HttpRequest) -> None:
    if not permissions.is_building_staff(request.user):
        raise Http404


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    _staff_or_404(request)
    me = resident_of(request)
    buildings = Building.objects.filter(administrators__resident=me).order_by("address")
    return render(
        request,
        "housing/admin.html",
        {
            "buildings": buildings,
            "links": list(buildings_selectors.pending_links(me)[:50]),
            "flagged": list(meters_selectors.flagged_readings(me)[:50]),
            "meetings": list(selectors_meetings.administered_meetings(me)[:20]),
        },
    )


@login_required
@require_POST
def link_decide(request: HttpRequest, link_id: int) -> HttpResponse:
    _staff_or_404(request)
    link = get_object_or_404(PremiseLink.objects.select_related("premise"), pk=link_id)
    try:
        if request.POST.get("decision") == "confirm":
            services_buildings.link_confirm(link=link, actor=resident_of(request))
            messages.success(request, _("The link was confirmed."))
        else:
            services_buildings.link_reject(
                link=link,
                actor=resident_of(request),
                reason=request.POST.get("reason", "")[:255],
            )
            messages.success(request, _("The request was rejected."))
    except DomainError as exc:
        messages.error(request, exc.text)
    return redirect("housing:admin")


@login_required
def register_import(request: HttpRequest, building_id: int) -> HttpResponse:
    _staff_or_404(request)
    building = get_object_or_404(Building, pk=building_id)
    if not permissions.administers(request.user, building):
        raise Http404
    form = RegisterImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        table = read_table(form)
        if table is not None:
            report = services_buildings.register_import_table(
                building=building,
                table=table,
                actor=resident_of(request),
            )
            if report.ok:
                messages.success(
                    request,
                    _("Imported %(premises)s premises and %(owners)s owners.")
                    % {"premises": report.premises_created, "owners": report.ownerships_created},
                )
                return redirect("housing:admin")
    return render(
        request,
        "housing/register_import.html",
        {"building": building, "form": form, "report": report},
        status=422 if form.errors or (report is not None and not report.ok) else 200,
    )


@login_required
def readings_import(request: HttpRequest, building_id: int) -> HttpResponse:
    """Upload a month of readings; the page answers with a row-by-row report. Refused rows are
    reported, not a failure of the upload, so the answer is 200 once the file was read."""
    _staff_or_404(request)
    building = get_object_or_404(Building, pk=building_id)
    if not permissions.administers(request.user, building):
        raise Http404
    form = ReadingsImportForm(
        request.POST or None, request.FILES or None, initial={"period": city_today().replace(day=1)}
    )
    report = None
    if request.method == "POST" and form.is_valid():
        table = read_table(form)
        if table is not None:
            try:
                report = services_table.readings_import_table(
                    building=building,
                    period=form.cleaned_data["period"],
                    table=table,
                    actor=resident_of(request),
                    file_name=form.cleaned_data["file"].name or "",
                )
            except DomainError as exc:
                form.add_error("file", exc.text)
    return render(
        request,
        "housing/readings_import.html",
        {"building": building, "form": form, "report": report, "columns": services_table.ALL_COLUMNS},
        status=422 if form.errors else 200,
    )
