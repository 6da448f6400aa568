"""Where a person lands after sign-in: staff on their work, residents on the home page.

The first role that has a workplace wins, in this order; a person with no staff role (or whose
role page is not installed) goes to the resident home page. A ``next`` address in the sign-in
form still takes precedence (Django's LoginView honours it before LOGIN_REDIRECT_URL)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import NoReverseMatch, reverse

from gorod.accounts import roles
from gorod.accounts.permissions import has_role

WORKPLACES = [
    (roles.OPERATOR, "admin:index"),
    (roles.MODERATOR, "problems:moderation"),
    (roles.BUILDING_ADMINISTRATOR, "housing:admin"),
    (roles.PARTNER_STAFF, "rewards:desk"),
    (roles.ORGANISATION_RESPONDER, "problems:queue"),
]


def workplace_of(user: object) -> str:
    for role, url_name in WORKPLACES:
        if has_role(user, role):
            try:
                return reverse(url_name)
            except NoReverseMatch:
                continue
    return reverse("web:home")


@login_required
def landing(request: HttpRequest) -> HttpResponseRedirect:
    return HttpResponseRedirect(workplace_of(request.user))
