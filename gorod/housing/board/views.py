"""The building board: residents read and post, administrators moderate and post notices."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gorod.accounts.edge import resident_of
from gorod.core.errors import DomainError
from gorod.housing import permissions
from gorod.housing.board import selectors as selectors_board
from gorod.housing.board import services as services_board
from gorod.housing.board.forms import AnnouncementForm, OfficialAnnouncementForm
from gorod.housing.models import Announcement, Building


def _building_or_404(request: HttpRequest, building_id: int) -> Building:
    try:
        return selectors_board.board_building(resident_of(request), building_id)
    except DomainError as exc:
        raise Http404(exc.text) from None


def _render_board(
    request: HttpRequest,
    building: Building,
    form: AnnouncementForm | None = None,
    official_form: OfficialAnnouncementForm | None = None,
    status: int = 200,
) -> HttpResponse:
    me = resident_of(request)
    is_admin = permissions.administers(me, building)
    return render(
        request,
        "housing/board.html",
        {
            "building": building,
            "entries": selectors_board.board(me, building),
            "mine": selectors_board.my_unpublished(me, building),
            "may_post": permissions.lives_in(me, building),
            "is_admin": is_admin,
            "form": form or AnnouncementForm(),
            "official_form": official_form or OfficialAnnouncementForm(),
        },
        status=status,
    )


@login_required
def board(request: HttpRequest, building_id: int) -> HttpResponse:
    building = _building_or_404(request, building_id)
    if request.method != "POST":
        return _render_board(request, building)
    form = AnnouncementForm(request.POST)
    if form.is_valid():
        try:
            services_board.announcement_post(
                building=building,
                author=resident_of(request),
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.text)
        else:
            messages.success(request, _("Your announcement was sent to the administrator for moderation."))
            return redirect("housing:board", building_id=building.pk)
    return _render_board(request, building, form=form, status=422)


@login_required
@require_POST
def board_official(request: HttpRequest, building_id: int) -> HttpResponse:
    building = _building_or_404(request, building_id)
    form = OfficialAnnouncementForm(request.POST)
    if form.is_valid():
        try:
            services_board.announcement_official_post(
                building=building,
                actor=resident_of(request),
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                emergency=form.cleaned_data["emergency"],
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.text)
        else:
            messages.success(request, _("The announcement is published."))
            return redirect("housing:board", building_id=building.pk)
    return _render_board(request, building, official_form=form, status=422)


@login_required
def board_moderation(request: HttpRequest) -> HttpResponse:
    if not permissions.is_building_staff(request.user):
        raise Http404
    me = resident_of(request)
    queue = [(a, selectors_board.shown_text(a, me)) for a in selectors_board.moderation_queue(me)[:50]]
    return render(
        request,
        "housing/board_moderation.html",
        {"queue": queue, "buildings": selectors_board.administered_buildings(me)},
    )


@login_required
@require_POST
def board_decide(request: HttpRequest, announcement_id: int) -> HttpResponse:
    if not permissions.is_building_staff(request.user):
        raise Http404
    announcement = get_object_or_404(Announcement, pk=announcement_id)
    try:
        if request.POST.get("decision") == "approve":
            services_board.announcement_approve(announcement=announcement, actor=resident_of(request))
            messages.success(request, _("The announcement is published."))
        else:
            services_board.announcement_reject(
                announcement=announcement,
                actor=resident_of(request),
                reason=request.POST.get("reason", ""),
            )
            messages.success(request, _("The announcement was rejected; the author sees the reason."))
    except DomainError as exc:
        messages.error(request, exc.text)
    return redirect("housing:board_moderation")


@login_required
@require_POST
def board_emergency_end(request: HttpRequest, building_id: int, announcement_id: int) -> HttpResponse:
    building = _building_or_404(request, building_id)
    announcement = get_object_or_404(Announcement, pk=announcement_id, building=building)
    try:
        services_board.announcement_emergency_end(announcement=announcement, actor=resident_of(request))
    except DomainError as exc:
        messages.error(request, exc.text)
        return redirect("housing:board", building_id=building.pk)
    messages.success(request, _("The emergency notice is no longer pinned."))
    return redirect("housing:board", building_id=building.pk)
