"""Pages of photo contests: the list, a contest with its gallery, upload and vote forms, photo
files (served through the site with their visibility), and the staff pages: create a contest,
moderate photos, mark the winners."""

from __future__ import annotations

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

from gorod.accounts.edge import resident_of
from gorod.accounts.models import Resident
from gorod.core.errors import DomainError
from gorod.voting import permissions
from gorod.voting.contests import errors
from gorod.voting.contests import rules as contest_rules
from gorod.voting.contests import selectors as selectors_contests
from gorod.voting.contests import services as services_contests
from gorod.voting.contests.models import ContestPhoto, PhotoContest


def _contest_or_404(request: HttpRequest, contest_id: int) -> PhotoContest:
    try:
        return selectors_contests.contest_get(request.user, contest_id)
    except errors.ContestNotFound:
        raise Http404 from None


def contest_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    contests = list(selectors_contests.public_contests()[:100])
    current = [c for c in contests if contest_rules.phase_of(c, now) in {"upcoming", "uploads", "voting"}]
    past = [c for c in contests if c not in current]
    return render(request, "voting/contest_list.html", {"current": current, "past": past})


def _detail_context(request: HttpRequest, contest: PhotoContest, **extra: Any) -> dict[str, Any]:
    now = timezone.now()
    return {
        "contest": contest,
        "phase": contest_rules.phase_of(contest, now),
        "uploads_open": contest_rules.uploads_open(contest, now),
        "voting_open": contest_rules.voting_open(contest, now),
        "photos": selectors_contests.published_photos(contest),
        "mine": selectors_contests.my_photos(request.user, contest.pk),
        "voted": selectors_contests.voted_photo_ids(request.user, contest.pk),
        "max_entries": services_contests.MAX_ENTRIES,
        **extra,
    }


def contest_detail(request: HttpRequest, contest_id: int) -> HttpResponse:
    contest = _contest_or_404(request, contest_id)
    return render(request, "voting/contest_detail.html", _detail_context(request, contest))


@login_required
@require_POST
def photo_post(request: HttpRequest, contest_id: int) -> HttpResponse:
    contest = _contest_or_404(request, contest_id)
    upload = request.FILES.get("photo")
    try:
        if upload is None:
            raise errors.NotAnImage(field="photo")
        services_contests.photo_submit(
            contest_id=contest.pk,
            resident=resident_of(request),
            upload=upload,
            size=upload.size,
            title=request.POST.get("title", "")[:500],
        )
    except DomainError as error:
        context = _detail_context(request, contest, upload_error=error.text)
        return render(request, "voting/contest_detail.html", context, status=error.status)
    messages.success(request, _("Thank you. Your photo will appear once a moderator has checked it."))
    return redirect("voting:contest", contest_id=contest.pk)


@login_required
@require_POST
def photo_vote(request: HttpRequest, photo_id: int) -> HttpResponse:
    photo = ContestPhoto.objects.filter(pk=photo_id).only("contest_id").first()
    if photo is None:
        raise Http404
    try:
        services_contests.photo_vote(photo_id=photo_id, resident=resident_of(request))
    except DomainError as error:
        messages.error(request, error.text)
    else:
        messages.success(request, _("Your vote is counted."))
    return redirect("voting:contest", contest_id=photo.contest_id)


def photo_file(request: HttpRequest, photo_id: int) -> FileResponse:
    photo = ContestPhoto.objects.select_related("contest").filter(pk=photo_id).first()
    if photo is None or not selectors_contests.photo_visible(request.user, photo):
        raise Http404
    response = FileResponse(photo.file.open("rb"), content_type=photo.content_type)
    response["Cache-Control"] = "public, max-age=3600" if photo.status == "published" else "private, no-store"
    return response


class ContestForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    theme = forms.CharField(label=gettext_lazy("Theme and rules"), widget=forms.Textarea)
    uploads_open_at = forms.DateTimeField(
        label=gettext_lazy("Uploads open at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    uploads_close_at = forms.DateTimeField(
        label=gettext_lazy("Uploads close at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    voting_open_at = forms.DateTimeField(
        label=gettext_lazy("Voting opens at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    voting_close_at = forms.DateTimeField(
        label=gettext_lazy("Voting closes at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    winner_points = forms.IntegerField(
        label=gettext_lazy("Points for a winning photo"), min_value=0, max_value=1_000_000, initial=1000
    )


@login_required
def contest_new(request: HttpRequest) -> HttpResponse:
    if not permissions.may_manage_polls(request.user):
        raise DjangoPermissionDenied
    form = ContestForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            contest = services_contests.contest_create(actor=resident_of(request), **form.cleaned_data)
        except DomainError as refusal:
            error = refusal.text
        else:
            messages.success(request, _("The contest is created."))
            return redirect("voting:contest", contest_id=contest.pk)
    return render(
        request, "voting/contest_new.html", {"form": form, "error": error}, status=422 if error else 200
    )


@login_required
def moderation(request: HttpRequest) -> HttpResponse:
    if not permissions.may_moderate(request.user):
        raise DjangoPermissionDenied
    may_judge = permissions.may_manage_polls(request.user)
    return render(
        request,
        "voting/contest_moderation.html",
        {
            "queue": list(selectors_contests.moderation_queue()[:50]),
            "to_judge": selectors_contests.contests_to_judge() if may_judge else [],
            "may_judge": may_judge,
        },
    )


@login_required
@require_POST
def photo_moderate(request: HttpRequest, photo_id: int) -> HttpResponse:
    if not permissions.may_moderate(request.user):
        raise DjangoPermissionDenied
    moderator: Resident = resident_of(request)
    publish = request.POST.get("decision") == "publish"
    try:
        services_contests.photo_moderate(
            photo_id=photo_id, moderator=moderator, publish=publish, reason=request.POST.get("reason", "")
        )
    except DomainError as error:
        messages.error(request, error.text)
    else:
        messages.success(request, _("The photo is published.") if publish else _("The photo is rejected."))
    return redirect("voting:contest_moderation")


@login_required
@require_POST
def winners_mark(request: HttpRequest, contest_id: int) -> HttpResponse:
    if not permissions.may_manage_polls(request.user):
        raise DjangoPermissionDenied
    photo_ids = [int(v) for v in request.POST.getlist("photo") if v.isdigit() and len(v) < 12]
    try:
        services_contests.contest_winners_mark(
            contest_id=contest_id,
            photo_ids=photo_ids,
            actor=resident_of(request),
        )
    except DomainError as error:
        messages.error(request, error.text)
    else:
        messages.success(request, _("The winners are marked and their points granted."))
    return redirect("voting:contest_moderation")
