"""Resident pages of a premise link: asking to be linked to a premise."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gorod.accounts.edge import resident_of
from gorod.core.errors import DomainError
from gorod.housing.buildings import services as services_buildings
from gorod.housing.buildings.forms import LinkRequestForm
from gorod.housing.errors import PremiseNotFound
from gorod.housing.models import Premise


@login_required
@require_POST
def link_request(request: HttpRequest) -> HttpResponse:
    form = LinkRequestForm(request.POST)
    if form.is_valid():
        premise = Premise.objects.filter(
            building=form.cleaned_data["building"], number=form.cleaned_data["number"].strip()
        ).first()
        try:
            if premise is None:
                raise PremiseNotFound(field="number")
            services_buildings.link_request(
                resident=resident_of(request),
                premise=premise,
                role=form.cleaned_data["role"],
                document_number=form.cleaned_data["document_number"],
            )
        except DomainError as exc:
            messages.error(request, exc.text)
        else:
            messages.success(request, _("Your request was sent to the building administrator."))
    else:
        messages.error(request, _("Choose the building and enter the premise number."))
    return redirect("housing:home")
