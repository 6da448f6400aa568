from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gorod.accounts.edge import resident_of
from gorod.accounts.places import place_from_form
from gorod.core.errors import DomainError, NotFound
from gorod.ideas import permissions, selectors, services
from gorod.ideas.forms import CommentForm, DecisionForm, IdeaForm
from gorod.ideas.models import Idea, Project, Stage


def _project(project_id: int) -> Project:
    try:
        return selectors.project_get(project_id)
    except NotFound:
        raise Http404 from None


def _idea(request: HttpRequest, idea_id: int) -> Idea:
    try:
        return selectors.idea_get(idea_id, request.user)
    except NotFound:
        raise Http404 from None


def project_list(request: HttpRequest) -> HttpResponse:
    stage = request.GET.get("stage", "")
    if stage not in Stage.values:
        stage = ""
    return render(
        request,
        "ideas/projects.html",
        {"projects": list(selectors.projects(stage=stage)[:50]), "stage": stage, "stages": Stage.choices},
    )


def project_detail(request: HttpRequest, project_id: int) -> HttpResponse:
    project = _project(project_id)
    form = IdeaForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect("accounts:sign_in")
        status = 400
        if form.is_valid():
            try:
                idea = services.idea_submit(project=project, author=resident_of(request), **form.cleaned_data)
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.text)
            else:
                messages.success(request, _("Thank you! Your idea was sent for moderation."))
                return redirect("ideas:idea", idea_id=idea.pk)
    raw = request.GET.get("page", "1")
    page = selectors.ideas_page(project, request.user, page=int(raw) if raw.isdigit() else 1)
    return render(
        request, "ideas/project.html", {"project": project, "page": page, "form": form}, status=status
    )


def idea_detail(request: HttpRequest, idea_id: int) -> HttpResponse:
    idea = _idea(request, idea_id)
    is_expert = permissions.is_expert(request.user)
    return render(
        request,
        "ideas/idea.html",
        {
            "idea": idea,
            "supported": selectors.has_supported(idea, request.user),
            "comment_form": CommentForm(),
            "decision_form": DecisionForm(),
            "is_expert": is_expert,
            # Contacts in the text are masked for readers, not for the author or the experts.
            "show_original": is_expert or idea.author_id == request.user.pk,
            "merge_targets": selectors.merge_targets(idea)[:100] if is_expert else [],
            "budget_rounds": selectors.budget_rounds_for(idea, request.user),
        },
    )


@login_required
@require_POST
def idea_support(request: HttpRequest, idea_id: int) -> HttpResponse:
    idea = _idea(request, idea_id)
    try:
        services.idea_support(idea_id=idea.pk, resident=resident_of(request))
        messages.success(request, _("You support this idea."))
    except DomainError as error:
        messages.error(request, error.text)
    return redirect("ideas:idea", idea_id=idea.pk)


@login_required
@require_POST
def comment_add(request: HttpRequest, idea_id: int) -> HttpResponse:
    idea = _idea(request, idea_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_add(idea_id=idea.pk, author=resident_of(request), text=form.cleaned_data["text"])
            messages.success(request, _("Comment added."))
        except DomainError as error:
            messages.error(request, error.text)
    else:
        messages.error(request, _("Please write a comment."))
    return redirect("ideas:idea", idea_id=idea.pk)


@login_required
@require_POST
def idea_decide(request: HttpRequest, idea_id: int) -> HttpResponse:
    if not permissions.is_expert(request.user):
        raise DjangoPermissionDenied
    idea = _idea(request, idea_id)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.idea_decide(
                idea_id=idea.pk,
                expert=resident_of(request),
                outcome=form.cleaned_data["outcome"],
                reason=form.cleaned_data["reason"],
                merged_into_id=form.cleaned_data["merged_into"],
                make_decision=form.cleaned_data["make_decision"],
            )
            messages.success(request, _("Decision recorded."))
        except DomainError as error:
            messages.error(request, error.text)
    else:
        messages.error(request, _("Choose a decision and give a reason."))
    return redirect("ideas:idea", idea_id=idea.pk)


@login_required
@require_POST
def idea_to_budget(request: HttpRequest, idea_id: int) -> HttpResponse:
    idea = _idea(request, idea_id)
    round_id, cost = (
        request.POST.get("round", ""),
        "".join(request.POST.get("cost_roubles", "").split()),
    )  # "1 500 000", NBSP too
    if not (round_id.isdigit() and cost.isdigit() and len(round_id) < 12 and len(cost) < 16):
        messages.error(request, _("Choose a budget round and give the cost in whole roubles."))
        return redirect("ideas:idea", idea_id=idea.pk)
    try:
        place = place_from_form(request.POST)
        project = services.idea_to_budget(
            idea_id=idea.pk,
            round_id=int(round_id),
            cost_roubles=int(cost),
            actor=resident_of(request),
            address_id=place.address_id,
            latitude=place.latitude,
            longitude=place.longitude,
        )
    except DomainError as error:
        messages.error(request, error.text)
        return redirect("ideas:idea", idea_id=idea.pk)
    messages.success(request, _("The idea is now a project of the budget round."))
    return redirect("voting:budget", round_id=project.round_id)


@login_required
def moderation(request: HttpRequest) -> HttpResponse:
    if not permissions.may_moderate(request.user):
        raise DjangoPermissionDenied
    if request.method == "POST":
        try:
            services.idea_moderate(
                idea_id=int(request.POST.get("idea", "0") or 0),
                moderator=resident_of(request),
                approve=request.POST.get("decision") == "publish",
                reason=request.POST.get("reason", ""),
            )
            messages.success(request, _("Moderation saved."))
        except (DomainError, Idea.DoesNotExist, ValueError) as error:
            messages.error(request, error.text if isinstance(error, DomainError) else _("No such idea."))
        return redirect("ideas:moderation")
    return render(request, "ideas/moderation.html", {"queue": list(selectors.moderation_queue()[:50])})


@login_required
@require_POST
def stage_advance(request: HttpRequest, project_id: int) -> HttpResponse:
    try:
        services.project_stage_advance(project_id=_project(project_id).pk, actor=resident_of(request))
        messages.success(request, _("The project moved to its next stage."))
    except DomainError as error:
        if error.status == 403:
            raise DjangoPermissionDenied from None
        messages.error(request, error.text)
    return redirect("ideas:project", project_id=project_id)
