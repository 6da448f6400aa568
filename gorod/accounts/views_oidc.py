"""Pages of the OpenID Connect sign-in: start at a provider, come back from it, connect it to the
signed-in account, and sign out here and at the provider."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gorod.accounts import oidc, services_identity
from gorod.accounts.edge import resident_of
from gorod.accounts.errors import IdentitySignInFailed
from gorod.accounts.models import Resident
from gorod.core.errors import DomainError

logger = logging.getLogger(__name__)

INTENT = "gorod_oidc_intent"  # what the trip to the provider is for: sign in, or link to whom
SIGNED_IN_WITH = "gorod_oidc"  # the provider and ID token of this session, for signing out there
BACKEND = "gorod.accounts.backends.EmailOrPhoneBackend"


def _provider_or_404(name: str) -> oidc.Provider:
    config = oidc.provider(name)
    if config is None:
        raise Http404
    return config


def _safe_next(request: HttpRequest) -> str:
    requested = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        requested, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return requested if safe else ""


def _go_to_provider(request: HttpRequest, config: oidc.Provider, *, link_to: int | None) -> HttpResponse:
    request.session[INTENT] = {"provider": config.name, "link_to": link_to, "next": _safe_next(request)}
    redirect_uri = request.build_absolute_uri(reverse("accounts:oidc_callback", args=[config.name]))
    try:
        return oidc.authorize_redirect(request, config, redirect_uri)
    except oidc.FLOW_ERRORS as error:  # discovery failed: the provider is away
        logger.warning("identity provider %s unreachable: %s", config.name, error)
        messages.error(request, IdentitySignInFailed().text)
        return redirect("accounts:profile" if link_to else "accounts:sign_in")


@require_POST
def oidc_sign_in(request: HttpRequest, provider: str) -> HttpResponse:
    return _go_to_provider(request, _provider_or_404(provider), link_to=None)


@login_required
@require_POST
def oidc_link(request: HttpRequest, provider: str) -> HttpResponse:
    return _go_to_provider(request, _provider_or_404(provider), link_to=int(request.user.pk or 0))


def oidc_callback(request: HttpRequest, provider: str) -> HttpResponse:
    config = _provider_or_404(provider)
    intent = request.session.pop(INTENT, None) or {}
    try:
        if intent.get("provider") != config.name:
            raise IdentitySignInFailed()
        try:
            claims, id_token = oidc.finish(request, config)
        except oidc.FLOW_ERRORS as error:
            # A refused token (signature, issuer, audience, expiry, nonce), a wrong state, or the
            # resident cancelled at the provider: nothing is signed in or written.
            logger.warning("identity provider %s sign-in refused: %r", config.name, error)
            raise IdentitySignInFailed() from None
        link_to = intent.get("link_to")
        if link_to is not None:
            if not request.user.is_authenticated or request.user.pk != link_to:
                raise IdentitySignInFailed()
            resident: Resident = resident_of(request)
            services_identity.identity_link(
                resident=resident, provider=config.name, claims=claims, level_rules=config.level_rules
            )
            request.session[SIGNED_IN_WITH] = {"provider": config.name, "id_token": id_token}
            messages.success(
                request, _("%(provider)s is now connected to your account.") % {"provider": config.label}
            )
            return redirect("accounts:profile")
        resident = services_identity.identity_sign_in(
            provider=config.name, claims=claims, level_rules=config.level_rules
        )
    except DomainError as error:
        status = error.status if 400 <= error.status < 500 else 400
        return render(
            request,
            "accounts/identity_failed.html",
            {"message": error.text, "provider": config, "linking": bool(intent.get("link_to"))},
            status=status,
        )
    login(request, resident, backend=BACKEND)
    request.session[SIGNED_IN_WITH] = {"provider": config.name, "id_token": id_token}
    return redirect(intent.get("next") or "web:home")


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    """Sign out here, then at the provider the resident signed in with (if any), which sends them
    back to the home page."""
    signed_in_with = request.session.get(SIGNED_IN_WITH) or {}
    logout(request)
    config = oidc.provider(signed_in_with.get("provider", ""))
    if config is not None and signed_in_with.get("id_token"):
        try:
            return oidc.logout_redirect(
                request,
                config,
                id_token=signed_in_with["id_token"],
                post_logout_redirect_uri=request.build_absolute_uri(reverse("web:home")),
            )
        except oidc.FLOW_ERRORS as error:
            logger.warning("identity provider %s sign-out failed: %r", config.name, error)
    return redirect("web:home")
