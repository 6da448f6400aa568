"""The administrator's console for an owners' meeting: the frozen register, proxies (powers of
attorney with their scans) and paper ballots with scans, until voting ends."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from gorod.accounts import selectors as account_selectors
from gorod.accounts.edge import resident_of
from gorod.core.errors import DomainError
from gorod.housing import errors
from gorod.housing.meetings import selectors as selectors_meetings
from gorod.housing.meetings import services
from gorod.housing.meetings.forms import PaperBallotForm, ProxyForm
from gorod.housing.models import Meeting, RegisterEntry


def _meeting_or_404(request: HttpRequest, meeting_id: int) -> Meeting:
    try:
        return selectors_meetings.meeting_for_administrator(resident_of(request), meeting_id)
    except DomainError as exc:
        raise Http404(exc.text) from None


def _entry_or_404(meeting: Meeting, entry_id: int) -> RegisterEntry:
    entry = RegisterEntry.objects.select_related("premise").filter(meeting=meeting, pk=entry_id).first()
    if entry is None:
        raise Http404
    return entry


def _is_open(meeting: Meeting) -> bool:
    return meeting.starts_at <= timezone.now() < meeting.ends_at


@login_required
def meeting_console(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting_or_404(request, meeting_id)
    if _is_open(meeting) and meeting.register_frozen_at is None:
        meeting = services.meeting_start(meeting=meeting)
    return render(
        request,
        "housing/meeting_console.html",
        {
            "meeting": meeting,
            "open": _is_open(meeting),
            "entries": list(selectors_meetings.register_rows(meeting)[:500]),
        },
    )


@login_required
def proxy_new(request: HttpRequest, meeting_id: int, entry_id: int) -> HttpResponse:
    meeting = _meeting_or_404(request, meeting_id)
    entry = _entry_or_404(meeting, entry_id)
    form = ProxyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            proxy = account_selectors.resident_by_login(form.cleaned_data["proxy"])
            if proxy is None:
                raise errors.ProxyNotFound(field="proxy")
            services.proxy_record(
                meeting=meeting,
                entry=entry,
                proxy=proxy,
                power_of_attorney=form.cleaned_data["power_of_attorney"],
                document=form.cleaned_data["document"],
                actor=resident_of(request),
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.text)
        else:
            messages.success(request, _("The proxy may now vote for this owner."))
            return redirect("housing:meeting_console", meeting_id=meeting.pk)
    return render(
        request,
        "housing/meeting_entry_form.html",
        {"meeting": meeting, "entry": entry, "form": form, "heading": _("Record a proxy")},
        status=422 if form.errors else 200,
    )


@login_required
def paper_ballot_new(request: HttpRequest, meeting_id: int, entry_id: int) -> HttpResponse:
    meeting = _meeting_or_404(request, meeting_id)
    entry = _entry_or_404(meeting, entry_id)
    questions = list(meeting.questions.order_by("position"))
    form = PaperBallotForm(request.POST or None, request.FILES or None, questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            services.paper_ballot_enter(
                meeting=meeting,
                entry=entry,
                answers={q.pk: form.cleaned_data[f"question_{q.pk}"] for q in questions},
                scan=form.cleaned_data["scan"],
                actor=resident_of(request),
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.text)
        else:
            messages.success(request, _("The paper ballot was entered."))
            return redirect("housing:meeting_console", meeting_id=meeting.pk)
    return render(
        request,
        "housing/meeting_entry_form.html",
        {"meeting": meeting, "entry": entry, "form": form, "heading": _("Enter a paper ballot")},
        status=422 if form.errors else 200,
    )
