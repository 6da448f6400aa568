"""Pages of the account level workflow: the resident's request, the operators' review queue."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gorod.accounts import permissions, services_levels
from gorod.accounts.edge import resident_of
from gorod.accounts.models import AccountLevel, LevelRequest, LevelRequestStatus
from gorod.core.errors import DomainError


class LevelRequestForm(forms.Form):
    to_level = forms.ChoiceField(
        label=gettext_lazy("Level"),
        choices=[
            (AccountLevel.STANDARD, AccountLevel.STANDARD.label),
            (AccountLevel.FULL, AccountLevel.FULL.label),
        ],
    )
    document_number = forms.CharField(
        label=gettext_lazy("Passport series and number"),
        max_length=32,
        help_text=gettext_lazy("For example 45 12 345678."),
    )


class DecideForm(forms.Form):
    checked = forms.BooleanField(
        label=gettext_lazy("I compared the original document with the resident's name and this number"),
        required=False,
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=255, required=False)


def _form_error(form: forms.Form, exc: DomainError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.text)


@login_required
def level_request(request: HttpRequest) -> HttpResponse:
    me = resident_of(request)
    form = LevelRequestForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            services_levels.level_request_file(
                resident=me,
                to_level=form.cleaned_data["to_level"],
                document_number=form.cleaned_data["document_number"],
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Your request was sent. An operator will check your passport."))
            return redirect("accounts:level_request")
    return render(
        request,
        "accounts/level_request.html",
        {"form": form, "requests": LevelRequest.objects.filter(resident=me).order_by("-created_at")[:10]},
        status=422 if form.errors else 200,
    )


def _operator_only(request: HttpRequest) -> None:
    if not permissions.may_change_level(request.user):
        raise Http404


@login_required
def level_queue(request: HttpRequest) -> HttpResponse:
    _operator_only(request)
    pending = LevelRequest.objects.filter(status=LevelRequestStatus.PENDING).select_related("resident")
    decided = LevelRequest.objects.exclude(status=LevelRequestStatus.PENDING).select_related(
        "resident", "checked_by"
    )
    return render(
        request,
        "accounts/level_queue.html",
        {"pending": pending[:100], "decided": decided.order_by("-checked_at")[:20]},
    )


@login_required
def level_review(request: HttpRequest, request_id: int) -> HttpResponse:
    _operator_only(request)
    level_req = get_object_or_404(LevelRequest.objects.select_related("resident"), pk=request_id)
    form = DecideForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        approve = request.POST.get("decision") == "approve"
        try:
            services_levels.level_request_decide(
                request_id=level_req.pk,
                actor=resident_of(request),
                approve=approve,
                reason=form.cleaned_data["reason"],
                document_checked=form.cleaned_data["checked"],
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(
                request, _("The request was approved.") if approve else _("The request was rejected.")
            )
            return redirect("accounts:level_queue")
    return render(
        request,
        "accounts/level_review.html",
        {"req": level_req, "form": form},
        status=(409 if level_req.status != LevelRequestStatus.PENDING else 422) if form.errors else 200,
    )
