"""Neighbour survey pages: create one for my building; voting happens on the poll pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from gorod.accounts.edge import resident_of
from gorod.core.errors import DomainError
from gorod.housing.buildings.selectors import HousingBuildingDirectory
from gorod.housing.models import Building
from gorod.housing.surveys.forms import SurveyForm
from gorod.housing.surveys.services import survey_create


@login_required
def survey_new(request: HttpRequest) -> HttpResponse:
    form = SurveyForm(request.POST or None)
    mine = HousingBuildingDirectory().buildings_of(int(request.user.pk or 0))
    form.fields["building"].queryset = Building.objects.filter(pk__in=mine).order_by("address")  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        options = form.option_list()
        if len(options) < 2:
            form.add_error("options", _("Give at least two answers."))
        else:
            try:
                poll = survey_create(
                    building=form.cleaned_data["building"],
                    title=form.cleaned_data["title"],
                    questions=[(form.cleaned_data["question"], options)],
                    days=form.cleaned_data["days"],
                    actor=resident_of(request),
                )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.text)
            else:
                messages.success(request, _("Your survey is open to your neighbours."))
                return redirect("voting:poll", poll_id=poll.pk)
    return render(request, "housing/survey_new.html", {"form": form}, status=422 if form.errors else 200)
