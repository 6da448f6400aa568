"""The staff second-factor page: enrol an authenticator app (shown as a QR code and its secret),
then give a code from it, or a recovery code, once per session; and issue new recovery codes."""

from __future__ import annotations

import base64
from urllib.parse import quote

import django_otp
import segno
from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from gorod.accounts import services_second_factor
from gorod.accounts.edge import resident_of
from gorod.accounts.errors import WrongSecondFactorCode
from gorod.accounts.models import Resident
from gorod.core.errors import DomainError


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


def _next(request: HttpRequest) -> str:
    requested = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        requested, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return requested if safe else "/console/"


def _qr_data_uri(device: TOTPDevice, resident: Resident) -> str:
    # config_url is the otpauth:// URI authenticator apps read; an SVG data URI keeps it inline
    # without an inline script or a request to anyone else.
    svg = segno.make(device.config_url, error="m").svg_inline(scale=4)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


@login_required
def second_factor(request: HttpRequest) -> HttpResponse:
    resident: Resident = resident_of(request)
    form = CodeForm(request.POST or None)
    enrolled = TOTPDevice.objects.filter(user=resident, confirmed=True).exists()
    next_url = _next(request)
    if enrolled:
        if request.method == "POST" and form.is_valid():
            device = django_otp.match_token(resident, form.cleaned_data["code"].strip().replace(" ", ""))
            if device is not None:
                django_otp.login(request, device)
                return redirect(next_url)
            form.add_error("code", WrongSecondFactorCode().text)
        return render(
            request,
            "accounts/second_factor.html",
            {"form": form, "next": next_url, "enrolled": True},
            status=200 if not form.errors else 400,
        )
    device = services_second_factor.authenticator_start(resident=resident)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = services_second_factor.authenticator_confirm(
                resident=resident, device_id=device.pk, code=form.cleaned_data["code"]
            )
        except DomainError as error:
            form.add_error("code", error.text)
        else:
            django_otp.login(request, device)
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": next_url})
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/second_factor.html",
        {
            "form": form,
            "next": next_url,
            "enrolled": False,
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "qr": _qr_data_uri(device, resident),
            "otpauth": quote(device.config_url, safe=":/?=&"),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def recovery_codes(request: HttpRequest) -> HttpResponse:
    resident: Resident = resident_of(request)
    if not request.user.is_verified():  # type: ignore[union-attr]  # set by django-otp's middleware
        return redirect("accounts:second_factor")
    codes = services_second_factor.recovery_codes_issue(resident=resident)
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": _next(request)})
