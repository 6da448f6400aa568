from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import i18n as i18n_views
from django.views.decorators.http import require_POST

from gorod.accounts import consent, oidc, rights, selectors, services
from gorod.accounts.edge import resident_of
from gorod.accounts.forms import ConsentForm, ProfileForm, SignUpForm, TokenForm
from gorod.accounts.models import Resident
from gorod.core.errors import DomainError


def sign_up(request: HttpRequest) -> HttpResponse:
    form = SignUpForm(request.POST or None)
    # Where to go after signing up (e.g. back to an invitation link); only paths of this site.
    requested = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        requested, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    next_url = requested if safe else ""
    if request.method == "POST" and form.is_valid():
        try:
            resident = services.resident_sign_up(
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
                email=form.cleaned_data["email"] or None,
                phone=form.cleaned_data["phone"] or None,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                home_district=form.cleaned_data["home_district"],
                processing_consent=form.cleaned_data["consent"],
            )
        except DomainError as error:
            form.add_error(error.field, error.text)
        else:
            login(request, resident, backend="gorod.accounts.backends.EmailOrPhoneBackend")
            messages.success(request, _("Welcome! Your account is ready."))
            return redirect(next_url or "web:home")
    return render(request, "accounts/sign_up.html", {"form": form, "next": next_url})


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    resident: Resident = resident_of(request)
    initial = {
        "first_name": resident.first_name,
        "last_name": resident.last_name,
        "home_district": resident.home_district,
        "consents_to_notifications": resident.consents_to_notifications,
    }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.resident_profile_update(resident=resident, **form.cleaned_data)
        messages.success(request, _("Profile saved."))
        return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "tokens": selectors.tokens_of(resident),
            "token_form": TokenForm(),
            "identity_providers": selectors.identity_providers_of(resident, oidc.providers().values()),
            "level_rights": rights.table_for(resident.level),
        },
    )


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    resident: Resident = resident_of(request)
    form = TokenForm(request.POST)
    plain = None
    if form.is_valid():
        try:
            _token, plain = services.api_token_issue(resident=resident, name=form.cleaned_data["name"])
        except DomainError as error:
            form.add_error(error.field, error.text)
    return render(
        request,
        "accounts/profile.html",
        {
            "form": ProfileForm(initial={"first_name": resident.first_name, "last_name": resident.last_name}),
            "tokens": selectors.tokens_of(resident),
            "token_form": form,
            "new_token": plain,
        },
        status=200 if plain else 400,
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    resident: Resident = resident_of(request)
    try:
        services.api_token_revoke(resident=resident, token_id=token_id)
        messages.success(request, _("Token revoked."))
    except DomainError as error:
        messages.error(request, error.text)
    return redirect("accounts:profile")


@login_required
def processing_consent(request: HttpRequest) -> HttpResponse:
    """Asked at sign-up, and again on the next page after the consent text changes."""
    resident: Resident = resident_of(request)
    requested = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        requested, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    next_url = requested if safe and not requested.startswith("/accounts/consent/") else ""
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.processing_consent_give(resident=resident)
        return redirect(next_url or "web:home")
    return render(
        request,
        "accounts/consent.html",
        {
            "form": form,
            "next": next_url,
            "text": consent.CONSENT_TEXT,
            "version": consent.CONSENT_VERSION,
            "renewal": bool(resident.consent_version),
        },
        status=400 if form.errors else 200,
    )


def language_set(request: HttpRequest) -> HttpResponse:
    """The site's language switch (Django's ``set_language``), which also keeps a signed-in
    resident's choice on the account, for the e-mails sent to them."""
    response = i18n_views.set_language(request)
    if request.method == "POST" and request.user.is_authenticated:
        services.resident_language_set(
            resident=resident_of(request),
            language=request.POST.get(i18n_views.LANGUAGE_QUERY_PARAMETER, ""),
        )
    return response


def address_suggestions(request: HttpRequest) -> HttpResponse:
    """Suggestions from the city's address register as an HTML fragment, for any form that asks
    for a place as one types (a budget project's place; Our City's report form has its own route
    to the same fragment). Fewer than two letters or digits: no suggestions."""
    query = request.GET.get("q", request.GET.get("address", ""))[:200]
    found = [
        {
            "id": address.pk,
            "address": address.text,
            "district": address.district.name,
            "latitude": address.latitude,
            "longitude": address.longitude,
        }
        for address in selectors.address_suggestions(query)
    ]
    return render(request, "accounts/_address_suggestions.html", {"suggestions": found, "query": query})
