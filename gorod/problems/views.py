"""Resident pages of Our City: public map, filing with duplicates shown first, my reports, detail."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gorod.accounts import views as accounts_views
from gorod.accounts.edge import resident_of
from gorod.accounts.selectors import address_get, districts
from gorod.core.errors import DomainError
from gorod.problems import errors, permissions, rules, selectors, services, services_answers
from gorod.problems.forms import RatingForm, ReportForm, show_refusal
from gorod.problems.models import Organisation, Photo, ReportStatus, Topic

PAGE_SIZE = 20


def public_map(request: HttpRequest) -> HttpResponse:
    filters = selectors.MapFilters(
        status=request.GET.get("status", ""),
        topic=request.GET.get("topic", ""),
        district=request.GET.get("district", ""),
        overdue=request.GET.get("overdue") == "1",
    )
    try:
        page = selectors.public_report_page(
            filters,
            before=_cursor(request.GET.get("before")),
            after=_cursor(request.GET.get("after")),
            size=PAGE_SIZE,
        )
        refusal = None
    except DomainError as error:
        page, refusal = selectors.ReportPage(reports=[], newer=None, older=None), error
    # the filters without the cursors, for the pager's links
    kept = request.GET.copy()
    for name in ("before", "after", "page"):
        kept.pop(name, None)
    return render(
        request,
        "problems/map.html",
        {
            "page": page,
            "refusal": refusal,
            "filters_query": kept.urlencode(),
            "filters": filters,
            "statuses": [(s.value, s.label) for s in ReportStatus if s.value in rules.PUBLIC_STATUSES],
            "topics": Topic.objects.filter(is_active=True).order_by("name"),
            "districts": districts(),
            "query": request.GET.urlencode(),
        },
        status=refusal.status if refusal else 200,
    )


def _cursor(raw: str | None) -> int | None:
    """A page cursor from the query string: a report id, or None when absent. Anything else is
    refused (a link that was edited or cut) rather than silently showing the first page."""
    if raw is None:
        return None
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 18 or int(raw) == 0:
        raise errors.BadCursor()
    return int(raw)


@login_required
def report_new(request: HttpRequest) -> HttpResponse:
    duplicates: list[Any] = []
    choices: list[dict[str, Any]] = []
    form = ReportForm(request.POST or None)
    place = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        place, choices = _place(data)
        if place is None:
            form.add_error("address", errors.PlaceMissing().text)
    if place is not None:
        data = form.cleaned_data
        duplicates = selectors.duplicates_near(
            topic_code=data["topic"], latitude=float(place["latitude"]), longitude=float(place["longitude"])
        )
        if duplicates and not data["join_instead"]:
            form.add_error(
                "join_instead", _("There are open reports of this topic nearby: join one or confirm.")
            )
        else:
            try:
                report = services.report_file(
                    author=resident_of(request),
                    topic_code=data["topic"],
                    latitude=place["latitude"],
                    longitude=place["longitude"],
                    building_id=place["id"],
                    text=data["text"],
                    photo_uploads=request.FILES.getlist("photos"),
                    address_text="" if place["id"] else data["address"],
                )
            except DomainError as refusal:
                show_refusal(form, refusal)
            else:
                messages.success(request, _("Thank you! Your report was sent to moderation."))
                return redirect("problems:detail", report_id=report.pk)
    return render(
        request,
        "problems/new.html",
        {"form": form, "duplicates": duplicates, "address_choices": choices, "max_photos": rules.MAX_PHOTOS},
    )


def _place(data: dict[str, Any]) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """The report's place from the form: the register address chosen (its coordinates), else a
    point clicked on the map, else the one register address the typed text names (the form works
    without JavaScript); several candidates come back as choices to pick from."""
    if data.get("address_id"):
        address = address_get(data["address_id"])
        if address is not None:
            return {"id": address.pk, "latitude": address.latitude, "longitude": address.longitude}, []
    if data.get("latitude") is not None and data.get("longitude") is not None:
        return {"id": None, "latitude": data["latitude"], "longitude": data["longitude"]}, []
    typed = data.get("address") or ""
    try:
        found = selectors.address_search(typed)
    except errors.AddressQueryTooShort:
        return None, []
    if len(found) == 1:
        return {
            "id": found[0]["id"],
            "latitude": found[0]["latitude"],
            "longitude": found[0]["longitude"],
        }, []
    return None, found


def address_suggestions(request: HttpRequest) -> HttpResponse:
    """The address search's suggestions as an HTML fragment (the report form asks as one types):
    the register's own fragment, which accounts serves to every form that asks for a place."""
    return accounts_views.address_suggestions(request)


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.reports_of(resident_of(request)), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "problems/mine.html", {"page": page})


def detail(request: HttpRequest, report_id: int) -> HttpResponse:
    report = selectors.report_detail(report_id)
    if report is None or not permissions.may_view(request.user, report):
        raise Http404
    user = request.user
    is_author = user.is_authenticated and report.author_id == user.pk
    # Residents read approved answers with no moderation state; the author also sees an answer
    # still being checked (or sent back), marked as such (tests/permissions: the author reads an
    # unapproved answer); only moderators see why an answer was returned.
    sees_moderation = permissions.may_moderate(user)
    answers = [a for a in report.answers.all() if a.status == "approved" or is_author or sees_moderation]
    may_rate = (
        user.is_authenticated
        and report.status == rules.ANSWERED
        and (is_author or permissions.may_rate_as_neighbour(user, report))
    )
    may_follow = user.is_authenticated and not is_author and report.status in rules.OPEN_STATUSES
    return render(
        request,
        "problems/detail.html",
        {
            "report": report,
            "is_author": is_author,
            "answers": answers,
            "sees_moderation": sees_moderation,
            "report_photos": [p for p in report.photos.all() if p.answer_id is None],
            "rating_form": RatingForm() if may_rate else None,
            "may_follow": may_follow and permissions.is_public(report),
            "events": report.events.all() if is_author or permissions.may_moderate(user) else [],
            "organisations": Organisation.objects.filter(is_active=True).order_by("name")
            if permissions.may_reroute(user) and report.status in {rules.IN_WORK, rules.ESCALATED}
            else None,
        },
    )


@login_required
@require_POST
def follow(request: HttpRequest, report_id: int) -> HttpResponse:
    try:
        services.report_follow(report_id=report_id, resident=resident_of(request))
    except DomainError as refusal:
        messages.error(request, refusal.text)
    else:
        messages.success(request, _("You joined this report; you will be able to rate the result."))
    return redirect("problems:detail", report_id=report_id)


@login_required
@require_POST
def rate(request: HttpRequest, report_id: int) -> HttpResponse:
    form = RatingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a score."))
        return redirect("problems:detail", report_id=report_id)
    try:
        services_answers.rating_give(
            report_id=report_id,
            resident=resident_of(request),
            score=form.cleaned_data["score"],
            verdict=form.cleaned_data.get("verdict") or "",
        )
    except DomainError as refusal:
        messages.error(request, refusal.text)
    else:
        messages.success(request, _("Thank you for your rating."))
    return redirect("problems:detail", report_id=report_id)


def statistics(request: HttpRequest) -> HttpResponse:
    return render(request, "problems/statistics.html", {"stats": selectors.organisation_stats()})


def photo(request: HttpRequest, photo_id: int) -> FileResponse:
    """Photos are served through this view (not from static), with the report's visibility."""
    item = Photo.objects.select_related("report").filter(pk=photo_id).first()
    if item is None or not (
        permissions.may_view(request.user, item.report)
        or permissions.responds_for(request.user, item.report.organisation_id)
    ):
        raise Http404
    response = FileResponse(default_storage.open(item.file.name, "rb"), content_type=item.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    return response
