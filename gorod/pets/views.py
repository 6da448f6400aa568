from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gorod.accounts.edge import resident_of
from gorod.accounts.models import Resident
from gorod.core.errors import DomainError, NotFound
from gorod.pets import permissions, selectors, services
from gorod.pets.forms import MessageForm, NoticeForm, RejectForm, SearchForm
from gorod.pets.models import NoticeKind, PetNotice, PetPhoto


def _notice(request: HttpRequest, notice_id: int) -> PetNotice:
    try:
        return selectors.notice_get(notice_id, request.user)
    except NotFound:
        raise Http404 from None


def notice_list(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    raw = request.GET.get("page", "1")
    page = selectors.search_page(page=int(raw) if raw.isdigit() else 1, **form.filters())
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "pets/list.html", {"form": form, "page": page, "query": query.urlencode()})


def notices_geojson(request: HttpRequest) -> JsonResponse:
    form = SearchForm(request.GET or None)
    return JsonResponse(selectors.map_features(selectors.search(**form.filters())))


@login_required
def notice_new(request: HttpRequest) -> HttpResponse:
    form = NoticeForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                notice = services.notice_create(
                    author=resident_of(request),
                    kind=data["kind"],
                    animal=data["animal"],
                    description=data["description"],
                    latitude=data["latitude"],
                    longitude=data["longitude"],
                    seen_at=data["seen_at"],
                    photos=data["photos"],
                )
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.text)
            else:
                messages.success(request, _("Your notice was sent for moderation."))
                return redirect("pets:detail", notice_id=notice.pk)
    return render(request, "pets/new.html", {"form": form}, status=status)


def notice_detail(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = _notice(request, notice_id)
    is_author = permissions.is_author(request.user, notice)
    suggestions = selectors.suggestions(notice) if is_author and notice.kind == NoticeKind.LOST else []
    return render(
        request,
        "pets/detail.html",
        {
            "notice": notice,
            "is_author": is_author,
            "may_moderate": permissions.may_moderate(request.user),
            "suggestions": suggestions,
            "threads": selectors.conversations(notice, request.user),
            "message_form": MessageForm(),
            "reject_form": RejectForm(),
        },
    )


@login_required
@require_POST
def notice_close(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = _notice(request, notice_id)
    try:
        services.notice_close(notice_id=notice.pk, actor=resident_of(request))
        messages.success(request, _("Notice closed. We are glad your pet is home!"))
    except DomainError as error:
        messages.error(request, error.text)
    return redirect("pets:detail", notice_id=notice.pk)


@login_required
@require_POST
def message_send(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = _notice(request, notice_id)
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            services.message_send(
                notice_id=notice.pk,
                sender=resident_of(request),
                body=form.cleaned_data["body"],
                recipient_id=form.cleaned_data["recipient"],
            )
            messages.success(request, _("Message sent."))
        except DomainError as error:
            messages.error(request, error.text)
    else:
        messages.error(request, _("Please write a message."))
    return redirect("pets:detail", notice_id=notice.pk)


@login_required
@require_POST
def notice_moderate(request: HttpRequest, notice_id: int) -> HttpResponse:
    if not permissions.may_moderate(request.user):
        raise DjangoPermissionDenied
    approve = request.POST.get("decision") == "publish"
    try:
        services.notice_moderate(
            notice_id=notice_id,
            moderator=resident_of(request),
            approve=approve,
            reason=request.POST.get("reason", ""),
        )
        messages.success(request, _("Notice published.") if approve else _("Notice rejected."))
    except DomainError as error:
        messages.error(request, error.text)
    return redirect("pets:moderation")


@login_required
def moderation(request: HttpRequest) -> HttpResponse:
    if not permissions.may_moderate(request.user):
        raise DjangoPermissionDenied
    queue = list(selectors.moderation_queue()[:50])
    return render(request, "pets/moderation.html", {"queue": queue, "reject_form": RejectForm()})


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    resident: Resident = resident_of(request)
    return render(request, "pets/mine.html", {"notices": list(selectors.my_notices(resident)[:100])})


def photo(request: HttpRequest, photo_id: int) -> FileResponse:
    """Photos are served through the site so a pending notice's photos stay private."""
    row = PetPhoto.objects.select_related("notice").filter(pk=photo_id).first()
    if row is None or not permissions.may_view(request.user, row.notice):
        raise Http404
    return FileResponse(row.file.open("rb"), content_type=row.content_type)
