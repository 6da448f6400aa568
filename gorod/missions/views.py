from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gorod.accounts.edge import resident_of, resident_or_none
from gorod.accounts.models import Resident
from gorod.accounts.permissions import is_operator
from gorod.core.errors import DomainError, NotFound
from gorod.missions import permissions, selectors, services
from gorod.missions.forms import CodeConfirmForm, EvidenceForm, ImportForm
from gorod.missions.models import Challenge, ProofMethod


def _challenge(challenge_id: int) -> Challenge:
    try:
        return selectors.challenge_get(challenge_id)
    except NotFound:
        raise Http404 from None


def challenge_list(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("page", "1")
    show_all = request.GET.get("all") == "1"
    page = selectors.challenges_page(page=int(raw) if raw.isdigit() else 1, open_only=not show_all)
    mine = selectors.my_participations(resident_or_none(request), [c.pk for c in page])
    rows = [(c, mine.get(c.pk)) for c in page]
    return render(request, "missions/list.html", {"page": page, "rows": rows, "show_all": show_all})


def challenge_detail(request: HttpRequest, challenge_id: int) -> HttpResponse:
    challenge = _challenge(challenge_id)
    me = resident_or_none(request)  # a public page: anonymous readers see it too
    view = selectors.challenge_view(challenge, me)
    board = selectors.leaderboard(challenge, viewer=me) if challenge.leaderboard else []
    return render(request, "missions/detail.html", {"view": view, "c": challenge, "board": board})


def _act(request: HttpRequest, challenge_id: int, action: str) -> HttpResponse:
    challenge = _challenge(challenge_id)
    resident: Resident = resident_of(request)
    try:
        if action == "join":
            services.participation_join(challenge=challenge, resident=resident)
            messages.success(request, _("You joined the challenge."))
        elif action == "leave":
            services.participation_leave(challenge=challenge, resident=resident)
            messages.success(request, _("You left the challenge. Points you earned stay yours."))
        else:
            show = request.POST.get("show") == "1"
            services.leaderboard_opt(challenge=challenge, resident=resident, show=show)
            messages.success(request, _("Leaderboard choice saved."))
    except DomainError as error:
        messages.error(request, error.text)
    return redirect("missions:detail", challenge_id=challenge.pk)


@login_required
@require_POST
def challenge_join(request: HttpRequest, challenge_id: int) -> HttpResponse:
    return _act(request, challenge_id, "join")


@login_required
@require_POST
def challenge_leave(request: HttpRequest, challenge_id: int) -> HttpResponse:
    return _act(request, challenge_id, "leave")


@login_required
@require_POST
def challenge_leaderboard(request: HttpRequest, challenge_id: int) -> HttpResponse:
    return _act(request, challenge_id, "leaderboard")


@login_required
def evidence_enter(request: HttpRequest, challenge_id: int) -> HttpResponse:
    """Operators enter and confirm a resident's progress by hand."""
    if not is_operator(request.user):
        raise DjangoPermissionDenied
    challenge = _challenge(challenge_id)
    form = EvidenceForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            result = services.evidence_record(
                challenge=challenge,
                who=form.cleaned_data["resident"],
                key=form.cleaned_data["key"],
                quantity=form.cleaned_data["quantity"],
                source=ProofMethod.OPERATOR,
                actor=resident_of(request),
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.text)
            status = 400
        else:
            if result.created:
                messages.success(
                    request, _("Recorded; %(points)d points granted.") % {"points": result.points}
                )
            else:
                messages.info(request, _("This evidence was already recorded; nothing was added."))
            return redirect("missions:evidence", challenge_id=challenge.pk)
    return render(request, "missions/evidence.html", {"c": challenge, "form": form}, status=status)


@login_required
def evidence_import(request: HttpRequest, challenge_id: int) -> HttpResponse:
    """Operators or partner staff upload a partner's CSV; a bad row refuses the whole file."""
    if not permissions.may_open_partner_desk(request.user):
        raise DjangoPermissionDenied
    challenge = _challenge(challenge_id)
    form = ImportForm(request.POST or None, request.FILES or None)
    row_errors: list[dict] = []
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            result = services.evidence_import(
                challenge=challenge,
                text=form.cleaned_data["file"],
                actor=resident_of(request),
            )
        except DomainError as error:
            form.add_error(None, error.text)
            row_errors = error.details.get("errors", [])
            status = 400
        else:
            messages.success(
                request,
                _("Imported: %(added)d new, %(repeated)d already known, %(points)d points granted.")
                % {"added": result.added, "repeated": result.repeated, "points": result.points},
            )
            return redirect("missions:import", challenge_id=challenge.pk)
    return render(
        request,
        "missions/import.html",
        {"c": challenge, "form": form, "row_errors": row_errors},
        status=status,
    )


@login_required
def partner_confirm(request: HttpRequest) -> HttpResponse:
    """Partner staff confirm progress with the code the resident shows them."""
    if not permissions.may_open_partner_desk(request.user):
        raise DjangoPermissionDenied
    form = CodeConfirmForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            result = services.evidence_confirm_code(
                code=form.cleaned_data["code"],
                key=form.cleaned_data["key"],
                quantity=form.cleaned_data["quantity"],
                actor=resident_of(request),
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.text)
            status = 400
        else:
            if result.created:
                messages.success(
                    request, _("Confirmed; %(points)d points granted.") % {"points": result.points}
                )
            else:
                messages.info(request, _("This evidence was already recorded; nothing was added."))
            return redirect("missions:partner")
    return render(request, "missions/partner.html", {"form": form}, status=status)
