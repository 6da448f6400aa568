from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from gorod.core.errors import NotFound
from gorod.ideas import permissions
from gorod.ideas.models import Comment, Idea, IdeaStatus, Project, Support
from gorod.voting import permissions as voting_permissions
from gorod.voting.budgets.models import BudgetPhase, BudgetProject, BudgetRound

VISIBLE = [IdeaStatus.PUBLISHED, IdeaStatus.ACCEPTED, IdeaStatus.MERGED, IdeaStatus.DECLINED]


def projects(*, stage: str = "") -> QuerySet[Project]:
    rows = Project.objects.filter(published=True).annotate(
        idea_count=Count("ideas", filter=Q(ideas__status__in=VISIBLE))
    )
    if stage:
        rows = rows.filter(stage=stage)
    return rows.prefetch_related("districts").order_by("-created_at", "-pk")


def project_get(project_id: int) -> Project:
    project = projects().filter(pk=project_id).first()
    if project is None:
        raise NotFound()
    return project


def ideas_page(project: Project, viewer: Any, *, page: int = 1, per_page: int = 20) -> Page:
    rows = (
        Idea.objects.filter(project=project, status__in=VISIBLE)
        .select_related("author", "merged_into")
        .annotate(support_count=Count("supports"))
        .order_by("-support_count", "-created_at", "-pk")
    )
    if getattr(viewer, "is_authenticated", False):
        rows = rows.annotate(supported=Exists(Support.objects.filter(idea=OuterRef("pk"), resident=viewer)))
    return Paginator(rows, per_page).get_page(page)


def idea_get(idea_id: int, viewer: Any) -> Idea:
    idea = (
        Idea.objects.select_related("project", "author", "merged_into")
        .annotate(support_count=Count("supports"))
        .prefetch_related(
            Prefetch("comments", queryset=Comment.objects.filter(hidden=False).select_related("author"))
        )
        .filter(pk=idea_id)
        .first()
    )
    if idea is None:
        raise NotFound()
    if idea.status not in VISIBLE and not (
        getattr(viewer, "is_authenticated", False)
        and (idea.author_id == viewer.pk or permissions.is_expert(viewer))
    ):
        raise NotFound()
    return idea


def has_supported(idea: Idea, viewer: Any) -> bool:
    return (
        bool(getattr(viewer, "is_authenticated", False))
        and Support.objects.filter(idea=idea, resident=viewer).exists()
    )


def moderation_queue() -> QuerySet[Idea]:
    return (
        Idea.objects.filter(status=IdeaStatus.PENDING)
        .select_related("project", "author")
        .order_by("created_at")
    )


def merge_targets(idea: Idea) -> QuerySet[Idea]:
    return (
        Idea.objects.filter(project=idea.project, status__in=[IdeaStatus.PUBLISHED, IdeaStatus.ACCEPTED])
        .exclude(pk=idea.pk)
        .order_by("title")
    )


def open_data_ideas() -> QuerySet[Idea]:
    """Ideas the public can read (moderated), with their project and support count, no author."""
    return (
        Idea.objects.filter(status__in=VISIBLE, project__published=True)
        .select_related("project")
        .annotate(support_count=Count("supports"))
        .order_by("pk")
    )


def budget_rounds_for(idea: Idea, user: Any) -> list[Any]:
    """Rounds an operator may carry this accepted idea into (in their proposals phase), or none."""
    if idea.status != "accepted" or not voting_permissions.may_manage_polls(user):
        return []
    if BudgetProject.objects.filter(idea_id=idea.pk).exists():
        return []
    return list(BudgetRound.objects.filter(phase=BudgetPhase.PROPOSALS).order_by("-pk")[:50])
