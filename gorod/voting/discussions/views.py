"""Pages of public discussions: the list, a project with its map, documents and comments, the
comment form, the final report (page and CSV), and the staff pages (create, moderate, respond)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gorod.accounts.edge import resident_of, resident_or_none
from gorod.accounts.models import District, Resident
from gorod.core.errors import DomainError
from gorod.core.time import city_midnight
from gorod.voting import permissions
from gorod.voting.discussions import errors
from gorod.voting.discussions import rules as discussion_rules
from gorod.voting.discussions import selectors as selectors_discussions
from gorod.voting.discussions import services as services_discussions
from gorod.voting.discussions.models import Discussion, DiscussionDocument


def _discussion_or_404(request: HttpRequest, discussion_id: int) -> Discussion:
    try:
        return selectors_discussions.discussion_get(request.user, discussion_id)
    except errors.DiscussionNotFound:
        raise Http404 from None


def discussion_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    rows = list(selectors_discussions.public_discussions()[:100])
    phases: dict[str, list[Discussion]] = {"open": [], "upcoming": [], "finished": []}
    for row in rows:
        phases[discussion_rules.phase_of(row, now)].append(row)
    return render(request, "voting/discussion_list.html", {"phases": phases})


def _detail_context(request: HttpRequest, discussion: Discussion, **extra: Any) -> dict[str, Any]:
    now = timezone.now()
    refusal = None
    resident = resident_or_none(request)
    if resident is not None:
        try:
            selectors_discussions.check_may_comment(discussion, resident, now)
        except DomainError as error:
            refusal = error.text
    return {
        "discussion": discussion,
        "phase": discussion_rules.phase_of(discussion, now),
        "location_json": json.dumps(discussion.location) if discussion.location else "",
        "districts": list(discussion.districts.all()),
        "documents": list(discussion.documents.all()),
        "comments": selectors_discussions.published_comments(discussion.pk),
        "mine": selectors_discussions.my_comments(resident, discussion.pk),
        "refusal": refusal,
        "comment_max": discussion_rules.COMMENT_MAX,
        **extra,
    }


def discussion_detail(request: HttpRequest, discussion_id: int) -> HttpResponse:
    discussion = _discussion_or_404(request, discussion_id)
    return render(request, "voting/discussion_detail.html", _detail_context(request, discussion))


@login_required
@require_POST
def comment_post(request: HttpRequest, discussion_id: int) -> HttpResponse:
    discussion = _discussion_or_404(request, discussion_id)
    text = request.POST.get("text", "")[:20_000]
    try:
        services_discussions.comment_submit(
            discussion_id=discussion.pk,
            resident=resident_of(request),
            text=text,
        )
    except DomainError as error:
        context = _detail_context(request, discussion, error=error.text, text=text)
        return render(request, "voting/discussion_detail.html", context, status=error.status)
    messages.success(request, _("Thank you. Your comment will appear once a moderator has checked it."))
    return redirect("voting:discussion", discussion_id=discussion.pk)


def document(request: HttpRequest, discussion_id: int, document_id: int) -> FileResponse:
    discussion = _discussion_or_404(request, discussion_id)
    row = DiscussionDocument.objects.filter(pk=document_id, discussion=discussion).first()
    if row is None:
        raise Http404
    extension = row.file.name.rsplit(".", 1)[-1]
    return FileResponse(
        row.file.open("rb"),
        content_type=row.content_type,
        filename=f"discussion-{discussion.pk}-{row.pk}.{extension}",
        as_attachment=row.content_type == "application/pdf",
    )


def _report(request: HttpRequest, discussion_id: int) -> tuple[Discussion, list[Any]]:
    try:
        return selectors_discussions.report_of(request.user, discussion_id)
    except errors.DiscussionNotFound:
        raise Http404 from None


def report(request: HttpRequest, discussion_id: int) -> HttpResponse:
    try:
        discussion, comments = _report(request, discussion_id)
    except errors.ReportNotReady as error:
        discussion = _discussion_or_404(request, discussion_id)
        return render(
            request,
            "voting/discussion_report.html",
            {"discussion": discussion, "error": error.text},
            status=409,
        )
    answered = sum(1 for c in comments if c.response)
    return render(
        request,
        "voting/discussion_report.html",
        {"discussion": discussion, "comments": comments, "answered": answered},
    )


def report_csv(request: HttpRequest, discussion_id: int) -> HttpResponse:
    try:
        discussion, comments = _report(request, discussion_id)
    except errors.ReportNotReady:
        raise Http404 from None
    response = HttpResponse(
        selectors_discussions.report_csv(discussion, comments), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="discussion-{discussion.pk}-report.csv"'
    return response


# Staff pages ------------------------------------------------------------------------------------


class DiscussionForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    description = forms.CharField(label=gettext_lazy("Description"), widget=forms.Textarea)
    districts = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Affected districts"), queryset=District.objects.order_by("name")
    )
    opens_on = forms.DateField(
        label=gettext_lazy("Comments open on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    closes_on = forms.DateField(
        label=gettext_lazy("Comments close after"), widget=forms.DateInput(attrs={"type": "date"})
    )
    latitude = forms.DecimalField(
        label=gettext_lazy("Latitude"), required=False, max_digits=9, decimal_places=6
    )
    longitude = forms.DecimalField(
        label=gettext_lazy("Longitude"), required=False, max_digits=9, decimal_places=6
    )
    document = forms.FileField(label=gettext_lazy("Document (PDF, JPEG or PNG)"), required=False)
    document_title = forms.CharField(label=gettext_lazy("Document title"), max_length=200, required=False)


@login_required
def discussion_new(request: HttpRequest) -> HttpResponse:
    if not permissions.may_manage_polls(request.user):
        raise DjangoPermissionDenied
    form = DiscussionForm(request.POST or None, request.FILES or None)
    error = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        location = None
        if data["latitude"] is not None and data["longitude"] is not None:
            location = {"type": "Point", "coordinates": [float(data["longitude"]), float(data["latitude"])]}
        try:
            documents = []
            if data["document"] is not None:
                upload = data["document"]
                documents.append(
                    discussion_rules.check_document(upload, title=data["document_title"], size=upload.size)
                )
            discussion = services_discussions.discussion_create(
                title=data["title"],
                description=data["description"],
                districts=list(data["districts"]),
                opens_at=city_midnight(data["opens_on"]),
                closes_at=city_midnight(data["closes_on"] + dt.timedelta(days=1)),
                location=location,
                documents=documents,
                actor=resident_of(request),
            )
        except DomainError as refusal:
            error = refusal.text
        else:
            messages.success(request, _("The discussion is created."))
            return redirect("voting:discussion", discussion_id=discussion.pk)
    return render(
        request, "voting/discussion_new.html", {"form": form, "error": error}, status=422 if error else 200
    )


@login_required
def moderation(request: HttpRequest) -> HttpResponse:
    if not permissions.may_moderate(request.user):
        raise DjangoPermissionDenied
    return render(
        request,
        "voting/discussion_moderation.html",
        {
            "queue": list(selectors_discussions.moderation_queue()[:50]),
            "unanswered": list(selectors_discussions.awaiting_response()[:50])
            if permissions.may_manage_polls(request.user)
            else [],
            "may_respond": permissions.may_manage_polls(request.user),
        },
    )


@login_required
@require_POST
def comment_moderate(request: HttpRequest, comment_id: int) -> HttpResponse:
    if not permissions.may_moderate(request.user):
        raise DjangoPermissionDenied
    moderator: Resident = resident_of(request)
    publish = request.POST.get("decision") == "publish"
    try:
        services_discussions.comment_moderate(
            comment_id=comment_id, moderator=moderator, publish=publish, reason=request.POST.get("reason", "")
        )
    except DomainError as error:
        messages.error(request, error.text)
    else:
        messages.success(
            request, _("The comment is published.") if publish else _("The comment is rejected.")
        )
    return redirect("voting:discussion_moderation")


@login_required
@require_POST
def comment_respond(request: HttpRequest, comment_id: int) -> HttpResponse:
    if not permissions.may_manage_polls(request.user):
        raise DjangoPermissionDenied
    operator: Resident = resident_of(request)
    try:
        services_discussions.comment_respond(
            comment_id=comment_id, operator=operator, text=request.POST.get("response", "")[:20_000]
        )
    except DomainError as error:
        messages.error(request, error.text)
    else:
        messages.success(request, _("The response is saved."))
    return redirect("voting:discussion_moderation")
