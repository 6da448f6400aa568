from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from gorod.accounts.edge import resident_of
from gorod.accounts.models import Resident
from gorod.core.errors import DomainError
from gorod.privacy import rules, selectors, services


class EraseForm(forms.Form):
    password = forms.CharField(label=gettext_lazy("Your password"), widget=forms.PasswordInput)
    confirm = forms.CharField(label=gettext_lazy("Type DELETE to confirm"), max_length=20)


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    resident: Resident = resident_of(request)
    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rules.check_erase_confirmation(
                resident=resident,
                password=form.cleaned_data["password"],
                confirm=form.cleaned_data["confirm"],
            )
            services.resident_erase(resident=resident)
        except DomainError as error:
            form.add_error(error.field, error.text)
        else:
            logout(request)
            messages.success(request, _("Your account has been deleted and your personal data erased."))
            return redirect("web:home")
    return render(request, "privacy/my_data.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    resident: Resident = resident_of(request)
    response = HttpResponse(selectors.personal_data_json(resident), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="gorod-my-data.json"'
    return response
