"""Staff pages of Our City: the responder's queue and answer form, the moderators' queues."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gorod.accounts.edge import resident_of
from gorod.core import time as city_time
from gorod.core.errors import DomainError
from gorod.problems import permissions, selectors, services, services_answers
from gorod.problems.forms import AnswerForm, show_refusal
from gorod.problems.views import PAGE_SIZE


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    organisation_ids = permissions.organisation_ids_of(request.user)
    if not organisation_ids:
        raise PermissionDenied
    page = Paginator(selectors.responder_queue(organisation_ids), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "problems/queue.html", {"page": page, "today": city_time.city_today()})


@login_required
def answer(request: HttpRequest, report_id: int) -> HttpResponse:
    report = selectors.report_detail(report_id)
    if report is None:
        raise Http404
    if not permissions.responds_for(request.user, report.organisation_id):
        raise PermissionDenied
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services_answers.answer_submit(
                report_id=report_id,
                responder=resident_of(request),
                text=form.cleaned_data["text"],
                photo_uploads=request.FILES.getlist("photos"),
            )
        except DomainError as refusal:
            show_refusal(form, refusal)
        else:
            messages.success(request, _("The answer was sent to moderation."))
            return redirect("problems:queue")
    return render(
        request,
        "problems/answer.html",
        {"report": report, "form": form, "photos": [p for p in report.photos.all() if p.answer_id is None]},
    )


@login_required
def moderation(request: HttpRequest) -> HttpResponse:
    if not permissions.may_moderate(request.user):
        raise PermissionDenied
    reports = Paginator(selectors.reports_to_moderate(), PAGE_SIZE).get_page(request.GET.get("page"))
    answers = Paginator(selectors.answers_to_moderate(), PAGE_SIZE).get_page(request.GET.get("answers_page"))
    return render(
        request,
        "problems/moderation.html",
        {
            "reports": reports,
            "answers": answers,
            "overdue": selectors.overdue_reports()[:PAGE_SIZE],
            "escalated": selectors.escalated_reports()[:PAGE_SIZE],
        },
    )


@login_required
@require_POST
def moderate_report(request: HttpRequest, report_id: int) -> HttpResponse:
    decision = request.POST.get("decision")
    try:
        if decision == "accept":
            services.report_accept(report_id=report_id, moderator=resident_of(request))
            messages.success(request, _("Report #%(id)s accepted and routed.") % {"id": report_id})
        else:
            services.report_reject(
                report_id=report_id, moderator=resident_of(request), reason=request.POST.get("reason", "")
            )
            messages.success(request, _("Report #%(id)s rejected.") % {"id": report_id})
    except DomainError as refusal:
        messages.error(request, f"#{report_id}: {refusal.text}")
    return redirect("problems:moderation")


@login_required
@require_POST
def moderate_answer(request: HttpRequest, answer_id: int) -> HttpResponse:
    decision = request.POST.get("decision")
    try:
        if decision == "approve":
            services_answers.answer_approve(answer_id=answer_id, moderator=resident_of(request))
            messages.success(request, _("The answer was published."))
        else:
            services_answers.answer_return(
                answer_id=answer_id, moderator=resident_of(request), reason=request.POST.get("reason", "")
            )
            messages.success(request, _("The answer was returned to the organisation."))
    except DomainError as refusal:
        messages.error(request, refusal.text)
    return redirect("problems:moderation")


@login_required
@require_POST
def reroute(request: HttpRequest, report_id: int) -> HttpResponse:
    """An operator hands a report to another organisation, or closes one that came to them."""
    try:
        if request.POST.get("decision") == "close":
            services.report_operator_close(
                report_id=report_id, operator=resident_of(request), reason=request.POST.get("reason", "")
            )
            messages.success(request, _("The report was closed."))
        else:
            raw = request.POST.get("organisation", "")
            services.report_reroute(
                report_id=report_id,
                operator=resident_of(request),
                organisation_id=int(raw) if raw.isdigit() else 0,
                reason=request.POST.get("reason", ""),
            )
            messages.success(request, _("The report was sent to another organisation."))
    except DomainError as refusal:
        messages.error(request, refusal.text)
    return redirect("problems:detail", report_id=report_id)
