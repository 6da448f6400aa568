"""Writes of City of Ideas: stages, ideas, moderation, supports, comments, expert decisions.

An accepted idea earns its author points (programme city_of_ideas, key ``idea:<id>``) and may
become a decision on the Active Citizen map.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from gorod.accounts import moderation
from gorod.accounts.models import Resident
from gorod.accounts.services import audit_record
from gorod.core.errors import InvalidInput, PermissionDenied
from gorod.core.messages import Message
from gorod.ideas import permissions
from gorod.ideas.errors import (
    AlreadySupported,
    BadMerge,
    EmptyText,
    IdeaAlreadyInBudget,
    IdeaNotAccepted,
    IdeaNotFound,
    IdeaNotOpen,
    NotExpert,
    NotInDistrict,
    OwnIdea,
    WrongStage,
)
from gorod.ideas.models import STAGE_ORDER, Comment, Idea, IdeaStatus, Project, Stage, Support
from gorod.notifications import services as notifications
from gorod.points import services as points_services
from gorod.voting import permissions as voting_permissions
from gorod.voting.budgets import services as budget_services
from gorod.voting.budgets.models import BudgetProject
from gorod.voting.decisions import services as services_decisions

OUTCOMES = {"accepted": IdeaStatus.ACCEPTED, "merged": IdeaStatus.MERGED, "declined": IdeaStatus.DECLINED}
# Ideas keep no moderator or time of the decision on the row: the audit log has both.
MODERATION = moderation.Moderation(
    publish_action="ideas.idea_publish",
    reject_action="ideas.idea_reject",
    reason_field="moderation_reason",
    moderator_field=None,
    at_field=None,
)


def _text(value: str, field: str) -> str:
    text = value.strip()
    if not text:
        raise EmptyText(field=field)
    return text


@transaction.atomic
def project_stage_advance(*, project_id: int, actor: Resident) -> Project:
    """Move a project to its next stage (collecting → expert review → results), never back."""
    if not permissions.is_expert(actor):
        raise NotExpert()
    project = Project.objects.select_for_update().get(pk=project_id)
    index = STAGE_ORDER.index(Stage(project.stage))
    if index == len(STAGE_ORDER) - 1:
        raise WrongStage(stage=project.stage)
    before = project.stage
    project.stage = STAGE_ORDER[index + 1]
    project.save(update_fields=["stage"])
    audit_record(
        actor=actor,
        action="ideas.stage_advance",
        target=project,
        before={"stage": before},
        after={"stage": project.stage},
    )
    return project


@transaction.atomic(durable=True)
def idea_submit(*, project: Project, author: Resident, title: str, text: str) -> Idea:
    """Submit an idea while the project collects them; it waits for moderation."""
    project = Project.objects.select_for_update().get(pk=project.pk)  # the stage as it is now
    if not project.published or project.stage != Stage.COLLECTING:
        raise WrongStage(stage=project.stage)
    district_ids = {d.pk for d in project.districts.all()}
    if district_ids and author.home_district_id not in district_ids:
        raise NotInDistrict()
    return Idea.objects.create(
        project=project, author=author, title=_text(title, "title")[:200], text=_text(text, "text")[:4000]
    )


@transaction.atomic(durable=True)
def idea_moderate(*, idea_id: int, moderator: Resident, approve: bool, reason: str = "") -> Idea:
    if not permissions.may_moderate(moderator):
        raise NotExpert()
    reason = moderation.reason_for(
        approve, reason, spec=MODERATION, required=lambda: EmptyText(field="reason")
    )
    idea = Idea.objects.select_for_update().get(pk=idea_id)
    moderation.decide(
        idea,
        spec=MODERATION,
        publish=approve,
        moderator=moderator,
        reason=reason,
        not_pending=lambda: IdeaNotOpen(idea_id=idea.pk),
    )
    return idea


@transaction.atomic(durable=True)
def idea_support(*, idea_id: int, resident: Resident) -> Support:
    """Support a published idea while the project collects ideas: once per resident."""
    idea = Idea.objects.select_related("project").get(pk=idea_id)
    if idea.status != IdeaStatus.PUBLISHED:
        raise IdeaNotOpen(idea_id=idea.pk)
    if idea.project.stage != Stage.COLLECTING:
        raise WrongStage(stage=idea.project.stage)
    if idea.author_id == resident.pk:
        raise OwnIdea()
    try:
        with transaction.atomic():
            return Support.objects.create(idea=idea, resident=resident)
    except IntegrityError:
        raise AlreadySupported(idea_id=idea.pk) from None


@transaction.atomic(durable=True)
def comment_add(*, idea_id: int, author: Resident, text: str) -> Comment:
    idea = Idea.objects.get(pk=idea_id)
    if idea.status in (IdeaStatus.PENDING, IdeaStatus.REJECTED):
        raise IdeaNotOpen(idea_id=idea.pk)
    return Comment.objects.create(idea=idea, author=author, text=_text(text, "text")[:2000])


@transaction.atomic
def comment_hide(*, comment_id: int, moderator: Resident, reason: str) -> Comment:
    if not permissions.may_moderate(moderator):
        raise NotExpert()
    comment = Comment.objects.select_for_update().get(pk=comment_id)
    comment.hidden = True
    comment.save(update_fields=["hidden"])
    audit_record(actor=moderator, action="ideas.comment_hide", target=comment, reason=_text(reason, "reason"))
    return comment


@transaction.atomic(durable=True)
def idea_decide(
    *,
    idea_id: int,
    expert: Resident,
    outcome: str,
    reason: str,
    merged_into_id: int | None = None,
    make_decision: bool = False,
) -> Idea:
    """Experts accept, merge or decline a published idea during review, always with a reason.

    Accepting grants the author points once (key ``idea:<id>``) and, if asked, records a
    decision on the Active Citizen map.
    """
    if not permissions.is_expert(expert):
        raise NotExpert()
    status = OUTCOMES.get(outcome)
    if status is None:
        raise InvalidInput(field="outcome")
    reason = _text(reason, "reason")
    idea = Idea.objects.select_for_update().select_related("project", "author").get(pk=idea_id)
    if idea.project.stage != Stage.REVIEW:
        raise WrongStage(stage=idea.project.stage)
    if idea.status != IdeaStatus.PUBLISHED:
        raise IdeaNotOpen(idea_id=idea.pk)
    target = None
    if status == IdeaStatus.MERGED:
        target = (
            Idea.objects.filter(
                pk=merged_into_id,
                project=idea.project,
                status__in=[IdeaStatus.PUBLISHED, IdeaStatus.ACCEPTED],
            )
            .exclude(pk=idea.pk)
            .first()
            if merged_into_id
            else None
        )
        if target is None:
            raise BadMerge(field="merged_into")
    idea.status = status
    idea.merged_into = target
    idea.decision_reason = reason
    idea.decided_by = expert
    idea.decided_at = timezone.now()
    if status == IdeaStatus.ACCEPTED:
        points_services.award(
            resident=idea.author,
            programme="city_of_ideas",
            action="idea_accepted",
            source_key=f"idea:{idea.pk}",
            actor=expert,
            memo=idea.title[:200],
        )
        if make_decision:
            decision = services_decisions.decision_record(
                title=idea.title,
                organisation=idea.project.organisation,
                actor=expert,
                description=f"{idea.text}\n\n{reason}",
                district=idea.project.districts.first(),
            )
            idea.city_decision_id = decision.pk
    idea.save(
        update_fields=[
            "status",
            "merged_into",
            "decision_reason",
            "decided_by",
            "decided_at",
            "city_decision_id",
        ]
    )
    audit_record(
        actor=expert, action=f"ideas.idea_{outcome}", target=idea, after={"status": status}, reason=reason
    )
    notifications.notify(
        resident_ids=[idea.author_id],
        kind="idea_decision",
        event_key=f"idea_decision:{idea.pk}",
        title=Message(
            gettext_noop("The experts decided on your idea: %(status)s"), status=IdeaStatus(idea.status).label
        ),
        body=reason[:300],
        url=reverse("ideas:idea", args=[idea.pk]),
    )
    return idea


@transaction.atomic
def idea_to_budget(
    *,
    idea_id: int,
    round_id: int,
    cost_roubles: int,
    actor: Resident,
    address_id: int | None = None,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
) -> BudgetProject:
    """The accepted idea as a project of a round in its proposals phase; once per idea. Its place,
    if given, is an address of the city's register or a point (``budgets.services.place_of``)."""
    if not voting_permissions.may_manage_polls(actor):
        raise PermissionDenied()
    idea = Idea.objects.select_for_update().select_related("project").filter(pk=idea_id).first()
    if idea is None:
        raise IdeaNotFound(idea_id=idea_id)
    if idea.status != IdeaStatus.ACCEPTED:
        raise IdeaNotAccepted(idea_id=idea.pk)
    if BudgetProject.objects.filter(idea_id=idea.pk).exists():
        raise IdeaAlreadyInBudget(idea_id=idea.pk)
    return budget_services.project_add(
        round_id=round_id,
        actor=actor,
        title=idea.title,
        description=idea.text,
        cost_roubles=cost_roubles,
        idea_id=idea.pk,
        address_id=address_id,
        latitude=latitude,
        longitude=longitude,
    )
