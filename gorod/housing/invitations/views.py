"""Invitation pages: a resident makes links for neighbours; a neighbour redeems one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gorod.accounts.edge import resident_of
from gorod.core.errors import DomainError
from gorod.core.site import site_url
from gorod.housing.board import selectors as selectors_board
from gorod.housing.invitations import rules, selectors
from gorod.housing.invitations import services as services_invitations
from gorod.housing.invitations.forms import InvitationAcceptForm, InvitationCreateForm
from gorod.housing.models import Invitation


def invitation_url(request: HttpRequest, invitation: Invitation) -> str:
    token = rules.invitation_token(invitation)
    # handed to a neighbour (printed, sent): built on the site's public address, not the request's host
    return site_url(reverse("housing:invite", args=[token]))


@login_required
def invitations(request: HttpRequest) -> HttpResponse:
    me = resident_of(request)
    form = InvitationCreateForm(request.POST or None)
    form.fields["building"].queryset = selectors_board.my_buildings(me)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        try:
            services_invitations.invitation_create(
                building=form.cleaned_data["building"],
                inviter=me,
            )
        except DomainError as exc:
            form.add_error("building", exc.text)
        else:
            messages.success(request, _("Your invitation link is ready: send it to your neighbour."))
            return redirect("housing:invitations")
    now = timezone.now()
    mine = [
        {
            "invitation": invitation,
            "url": invitation_url(request, invitation),
            "active": invitation.invitee_id is None and invitation.expires_at > now,
        }
        for invitation in Invitation.objects.filter(inviter_id=me.pk)
        .select_related("building", "invitee")
        .order_by("-created_at")[:20]
    ]
    return render(
        request,
        "housing/invitations.html",
        {"form": form, "invitations": mine},
        status=422 if form.errors else 200,
    )


def invite(request: HttpRequest, token: str) -> HttpResponse:
    """The page an invitation link opens: sign up or in, then ask to be linked."""
    me = request.user if request.user.is_authenticated else None
    try:
        invitation = selectors.invitation_by_token(token)
        rules.invitation_check(invitation, me, timezone.now())
    except DomainError as exc:
        return render(
            request, "housing/invite.html", {"refusal": exc.text, "code": exc.code}, status=exc.status
        )
    form = InvitationAcceptForm(request.POST or None)
    if me is not None and request.method == "POST" and form.is_valid():
        try:
            services_invitations.invitation_accept(
                token=token,
                resident=me,
                premise_number=form.cleaned_data["number"],
                role=form.cleaned_data["role"],
                document_number=form.cleaned_data["document_number"],
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.text)
        else:
            messages.success(request, _("Your request was sent to the building administrator."))
            return redirect("housing:home")
    return render(
        request,
        "housing/invite.html",
        {"invitation": invitation, "form": form, "signed_in": me is not None, "next": request.path},
        status=422 if form.errors else 200,
    )
