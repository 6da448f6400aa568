"""Calling an owners' meeting from the site, and a building's register of decisions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from gorod.accounts.edge import resident_of
from gorod.core.errors import DomainError
from gorod.housing.meetings import selectors as selectors_meetings
from gorod.housing.meetings import services_call as services_meeting_call
from gorod.housing.meetings.forms import MeetingCallForm
from gorod.housing.models import Building


@login_required
def meeting_new(request: HttpRequest) -> HttpResponse:
    buildings = selectors_meetings.callable_buildings(resident_of(request))
    if not buildings.exists():
        raise Http404(_("Only an owner in the building or its administrator may call a meeting."))
    initial = {"building": request.GET.get("building")} if request.GET.get("building", "").isdigit() else {}
    form = MeetingCallForm(request.POST or None, request.FILES or None, buildings=buildings, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services_meeting_call.meeting_create(
                building=form.cleaned_data["building"],
                title=form.cleaned_data["title"],
                form=form.cleaned_data["form"],
                questions=form.agenda(),
                starts_at=form.cleaned_data["starts_at"],
                ends_at=form.cleaned_data["ends_at"],
                materials=form.cleaned_data["materials"],
                actor=resident_of(request),
            )
        except DomainError as exc:
            field = exc.field if exc.field in form.fields else None
            if exc.field == "questions":
                field = "subject_1"
            form.add_error(field, exc.text)
        else:
            messages.success(request, _("The meeting is called; the owners are notified."))
            return redirect("housing:meeting", meeting_id=meeting.pk)
    return render(request, "housing/meeting_new.html", {"form": form}, status=422 if form.errors else 200)


@login_required
def decisions(request: HttpRequest, building_id: int) -> HttpResponse:
    building = Building.objects.filter(pk=building_id).first()
    if building is None or not selectors_meetings.may_read_building_meetings(resident_of(request), building):
        raise Http404
    return render(
        request,
        "housing/decisions.html",
        {"building": building, "decisions": selectors_meetings.decision_register(building)},
    )
