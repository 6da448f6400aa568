"""Operator pages for the two irreversible moves of a poll: closing it (early, when its window
has not ended) and publishing its results. Each is its own page that says what will happen and
asks for an explicit confirmation, instead of a bulk action in the console's list, where a
wrong tick closes or publishes polls nobody meant to. The services audit both moves."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gorod.accounts.edge import resident_of
from gorod.core.errors import DomainError
from gorod.voting import permissions, services
from gorod.voting.models import Poll, PollStatus


class CloseForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Why the poll closes now"), max_length=255)
    confirm = forms.BooleanField(
        label=gettext_lazy("I understand that voting stops for everyone and cannot be reopened")
    )


class PublishForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy("I understand that the results become public and cannot be withdrawn")
    )


def _operator_poll(request: HttpRequest, poll_id: int) -> Poll:
    """Operators only; to anyone else the page does not exist."""
    if not permissions.may_manage_polls(request.user):
        raise Http404
    return get_object_or_404(Poll, pk=poll_id)


def _status(form: forms.Form, possible: bool) -> int:
    """409 when the poll is past this step (a second click, another operator was quicker)."""
    if form.is_bound and not possible:
        return 409
    return 422 if form.errors else 200


def _done(request: HttpRequest, poll: Poll, text: str) -> HttpResponse:
    messages.success(request, text)
    return redirect("admin:voting_poll_change", poll.pk)


@login_required
def poll_close(request: HttpRequest, poll_id: int) -> HttpResponse:
    poll = _operator_poll(request, poll_id)
    form = CloseForm(request.POST if request.method == "POST" else None)
    early = poll.closes_at > timezone.now()
    possible = poll.status == PollStatus.OPEN
    if possible and form.is_bound and form.is_valid():
        try:
            services.poll_close(
                poll_id=poll.pk,
                actor=resident_of(request),
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            form.add_error(None, exc.text)
        else:
            return _done(request, poll, _("The poll was closed and counted."))
    return render(
        request,
        "voting/poll_irreversible.html",
        {
            "poll": poll,
            "form": form,
            "move": "close",
            "early": early,
            "possible": possible,
        },
        status=_status(form, possible),
    )


@login_required
def poll_publish(request: HttpRequest, poll_id: int) -> HttpResponse:
    poll = _operator_poll(request, poll_id)
    form = PublishForm(request.POST if request.method == "POST" else None)
    possible = poll.status == PollStatus.CLOSED
    if possible and form.is_bound and form.is_valid():
        actor = resident_of(request)
        try:
            services.poll_results_publish(
                poll_id=poll.pk, actor=actor, reason="confirmed on the publish page"
            )
        except DomainError as exc:
            form.add_error(None, exc.text)
        else:
            return _done(request, poll, _("The results were published."))
    return render(
        request,
        "voting/poll_irreversible.html",
        {"poll": poll, "form": form, "move": "publish", "possible": possible},
        status=_status(form, possible),
    )
