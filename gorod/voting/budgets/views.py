"""Pages of participatory budgeting: the rounds, a round with its projects (the experts'
conclusions in public, the funding once published), and the operators' review and phase moves
on the same page, each move behind a confirmation that says what it does."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_http_methods, require_POST

from gorod.accounts.edge import resident_of
from gorod.accounts.places import place_from_form
from gorod.core.errors import DomainError
from gorod.voting import permissions
from gorod.voting.budgets import errors, rules, selectors, services
from gorod.voting.budgets.models import BudgetPhase, BudgetProject, BudgetRound

# What each move does, shown on the confirmation page before the operator makes it.
CONSEQUENCES = {
    "review": gettext_noop("Proposals close: no project can be added any more. Experts review each project."),
    "voting": gettext_noop(
        "The round's poll is made from the feasible projects and opens for voting (or waits for its "
        "opening time). Projects, costs and the rule cannot change any more."
    ),
    "results": gettext_noop(
        "Voting closes if it is still open, the ballots are counted and published, and the projects "
        "are funded by votes while the money lasts. This cannot be undone."
    ),
    "implementation": gettext_noop(
        "Each funded project becomes a decision with a promised date on the decisions map."
    ),
}


def _round_or_404(round_id: int) -> BudgetRound:
    try:
        return selectors.round_get(round_id)
    except errors.RoundNotFound:
        raise Http404 from None


def round_list(request: HttpRequest) -> HttpResponse:
    return render(request, "voting/budgets/round_list.html", {"rounds": selectors.rounds_public()[:100]})


def round_detail(request: HttpRequest, round_id: int) -> HttpResponse:
    budget_round = _round_or_404(round_id)
    projects = selectors.projects_of(budget_round)
    return render(
        request,
        "voting/budgets/round_detail.html",
        {
            "round": budget_round,
            "projects": projects,
            "funding": selectors.funding_of(budget_round, projects),
            "funded_roubles": selectors.funded_total_roubles(budget_round),
            "staff": permissions.may_manage_polls(request.user),
            "next_phase": rules.next_phase(budget_round.phase),
            "may_vote": selectors.may_vote_in(budget_round, request.user),
            "vote_refusal": selectors.vote_refusal_in(budget_round, request.user),
            "building_count": len(selectors.building_ids_of(budget_round)),
            "place_phases": [str(phase) for phase in services.PLACE_PHASES],
            "places_json": selectors.places_json(projects),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_place(request: HttpRequest, project_id: int) -> HttpResponse:
    """Operators: a project's place (an address of the register, or a point on the map) and image."""
    if not permissions.may_manage_polls(request.user):
        raise Http404
    project = (
        BudgetProject.objects.select_related("round", "address")
        .prefetch_related("images")
        .filter(pk=project_id)
        .first()
    )
    if project is None:
        raise Http404
    context = _place_context(project)
    if request.method == "POST":
        upload = request.FILES.get("image")
        try:
            place = place_from_form(request.POST)
            services.project_place_set(
                project_id=project.pk,
                actor=resident_of(request),
                address_id=place.address_id,
                latitude=place.latitude,
                longitude=place.longitude,
                image=upload,
                image_size=upload.size if upload is not None else None,
            )
        except DomainError as error:
            context["error"] = error.text
            return render(request, "voting/budgets/project_place.html", context, status=error.status)
        messages.success(request, _("The project's place and image are saved."))
        return redirect("voting:budget", round_id=project.round_id)
    return render(request, "voting/budgets/project_place.html", context)


def _place_context(project: BudgetProject, error: str = "") -> dict:
    return {
        "project": project,
        "round": project.round,
        "error": error,
        "max_images": rules.MAX_PROJECT_IMAGES,
        "may_add_image": len(project.images.all()) < rules.MAX_PROJECT_IMAGES,
    }


def _gallery_refused(request: HttpRequest, project_id: int, error: DomainError) -> HttpResponse:
    project = (
        BudgetProject.objects.select_related("round", "address").prefetch_related("images").get(pk=project_id)
    )
    return render(
        request, "voting/budgets/project_place.html", _place_context(project, error.text), status=error.status
    )


@login_required
@require_POST
def project_image_add(request: HttpRequest, project_id: int) -> HttpResponse:
    """Operators: add an image to the project's gallery (the place page's second form)."""
    if not permissions.may_manage_polls(request.user):
        raise Http404
    upload = request.FILES.get("image")
    try:
        services.project_image_add(
            project_id=project_id,
            actor=resident_of(request),
            image=upload,
            image_size=upload.size if upload is not None else None,
        )
    except errors.ProjectNotFound:
        raise Http404 from None
    except DomainError as error:
        return _gallery_refused(request, project_id, error)
    messages.success(request, _("The image is added to the project."))
    return redirect("voting:budget_project_place", project_id=project_id)


@login_required
@require_POST
def project_image_remove(request: HttpRequest, project_id: int, image_id: int) -> HttpResponse:
    """Operators: remove one image of the project's gallery."""
    if not permissions.may_manage_polls(request.user):
        raise Http404
    try:
        services.project_image_remove(project_id=project_id, image_id=image_id, actor=resident_of(request))
    except errors.ProjectNotFound:
        raise Http404 from None
    except DomainError as error:
        return _gallery_refused(request, project_id, error)
    messages.success(request, _("The image is removed from the project."))
    return redirect("voting:budget_project_place", project_id=project_id)


@login_required
@require_POST
def project_review(request: HttpRequest, project_id: int) -> HttpResponse:
    if not permissions.may_manage_polls(request.user):
        raise Http404
    try:
        project = services.project_review(
            project_id=project_id,
            actor=resident_of(request),
            feasible=request.POST.get("feasible") == "1",
            reason=request.POST.get("reason", "")[:2000],
        )
    except errors.ProjectNotFound:
        raise Http404 from None
    except DomainError as error:
        messages.error(request, error.text)
        round_id = request.POST.get("round", "")
        return (
            redirect("voting:budget", round_id=int(round_id))
            if round_id.isdigit()
            else redirect("voting:budgets")
        )
    messages.success(request, _("The experts' conclusion is recorded."))
    return redirect("voting:budget", round_id=project.round_id)


@login_required
@require_http_methods(["GET", "POST"])
def round_advance(request: HttpRequest, round_id: int) -> HttpResponse:
    """GET: what the move will do; POST: do it."""
    if not permissions.may_manage_polls(request.user):
        raise Http404
    budget_round = _round_or_404(round_id)
    target = rules.next_phase(budget_round.phase)
    if target is None:
        raise Http404
    context = {
        "round": budget_round,
        "target": BudgetPhase(target).label,
        "consequence": _(CONSEQUENCES[target]),
    }
    if request.method == "POST":
        try:
            services.round_advance(round_id=round_id, actor=resident_of(request))
        except DomainError as error:
            context["error"] = error.text
            return render(request, "voting/budgets/round_advance.html", context, status=error.status)
        messages.success(request, _("The round has moved to its next phase."))
        return redirect("voting:budget", round_id=round_id)
    return render(request, "voting/budgets/round_advance.html", context)
