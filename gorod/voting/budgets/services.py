"""Writes of participatory budgeting. Each function is one transaction; keyword-only arguments.

The vote is an ordinary poll made when the round moves to voting (``_poll_for``): one budget
question whose options are the feasible projects with their costs, targeted at the round's
district and level. Ballots go through the poll engine (site form and ``POST
/api/v1/polls/{id}/ballot``), so secrecy, receipts, the Merkle root, the recount, points and
the one-ballot race are the engine's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from decimal import Decimal
from typing import IO

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from gorod.accounts.models import AccountLevel, Address, District, Resident
from gorod.accounts.selectors import address_get
from gorod.accounts.services import audit_record
from gorod.core import images
from gorod.core.errors import PermissionDenied
from gorod.core.time import to_city
from gorod.voting import permissions
from gorod.voting import services as poll_services
from gorod.voting.budgets import errors, rules
from gorod.voting.budgets.models import (
    BudgetPhase,
    BudgetProject,
    BudgetProjectImage,
    BudgetRound,
    BudgetRoundBuilding,
    ProjectReview,
)
from gorod.voting.budgets.selectors import round_targeting
from gorod.voting.decisions import services as decision_services
from gorod.voting.decisions.rules import check_geometry
from gorod.voting.models import Option, Poll, PollStatus, QuestionKind
from gorod.voting.targeting import Targeting

# A project's place and image may change until the poll is made from the projects.
PLACE_PHASES = (BudgetPhase.PROPOSALS, BudgetPhase.REVIEW)
IMAGE_FOLDER = "budgets/%Y/%m"

# Stored as its English source and shown in the reader's language (ADR 0006).
RESPONSIBLE = gettext_noop("District administration (participatory budget)")


def _staff(actor: Resident) -> None:
    if not permissions.may_manage_polls(actor):
        raise PermissionDenied()


def _locked(round_id: int) -> BudgetRound:
    found = BudgetRound.objects.select_for_update().filter(pk=round_id).first()
    if found is None:
        raise errors.RoundNotFound(round_id=round_id)
    return found


@transaction.atomic
def round_create(
    *,
    actor: Resident,
    title: str,
    budget_roubles: int,
    voting_opens_at: dt.datetime,
    voting_closes_at: dt.datetime,
    rule: str = "within_budget",
    rule_count: int = 0,
    district: District | None = None,
    min_level: str = AccountLevel.SIMPLIFIED,
    description: str = "",
    building_ids: Collection[int] = (),
) -> BudgetRound:
    """A new round, open for proposals. ``building_ids`` (housing's buildings, by id) narrow who may
    vote to their verified residents, as a poll's targeting does; none means the whole area."""
    _staff(actor)
    Targeting.of(building_ids=building_ids).validate()
    if not title.strip():
        raise errors.TitleRequired(field="title")
    rules.check_round(budget_roubles=budget_roubles, rule=rule, rule_count=rule_count)
    if voting_closes_at <= voting_opens_at:
        raise errors.WindowInvalid(field="voting_closes_at")
    if min_level not in AccountLevel.values:
        raise errors.RuleInvalid(field="min_level")
    budget_round = BudgetRound.objects.create(
        title=title.strip(),
        description=description,
        district=district,
        budget_roubles=budget_roubles,
        rule=rule,
        rule_count=rule_count if rule != "within_budget" else 0,
        min_level=min_level,
        voting_opens_at=voting_opens_at,
        voting_closes_at=voting_closes_at,
        created_by=actor,
    )
    BudgetRoundBuilding.objects.bulk_create(
        BudgetRoundBuilding(round=budget_round, building_id=b) for b in sorted(set(building_ids))
    )
    audit_record(
        actor=actor,
        action="budgets.round_create",
        target=budget_round,
        after={"title": title, "building_ids": sorted(set(building_ids))},
    )
    return budget_round


@transaction.atomic
def project_add(
    *,
    round_id: int,
    actor: Resident,
    title: str,
    cost_roubles: int,
    description: str = "",
    district: District | None = None,
    location: dict | None = None,
    idea_id: int | None = None,
    address_id: int | None = None,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
) -> BudgetProject:
    """A project proposed for the round (by an operator, or carried over from City of Ideas), with
    its place if one is given (see ``place_of``)."""
    _staff(actor)
    budget_round = _locked(round_id)
    if budget_round.phase != BudgetPhase.PROPOSALS:
        raise errors.PhaseWrong(phase=budget_round.get_phase_display())
    if not title.strip():
        raise errors.TitleRequired(field="title")
    rules.check_project_cost(cost_roubles=cost_roubles, budget_roubles=budget_round.budget_roubles)
    check_geometry(location)
    address = None
    if address_id is not None or latitude is not None or longitude is not None:
        address, location = place_of(address_id=address_id, latitude=latitude, longitude=longitude)
    project = BudgetProject.objects.create(
        round=budget_round,
        title=title.strip(),
        description=description,
        cost_roubles=cost_roubles,
        district=district or budget_round.district or (address.district if address else None),
        address=address,
        location=location,
        idea_id=idea_id,
    )
    audit_record(
        actor=actor, action="budgets.project_add", target=project, after={"cost_roubles": cost_roubles}
    )
    return project


def place_of(
    *, address_id: int | None, latitude: Decimal | None, longitude: Decimal | None
) -> tuple[Address | None, dict]:
    """A place as (register address or none, GeoJSON point inside the city). An address of the
    city's register gives its own coordinates; without one, a point needs both coordinates."""
    if address_id is not None:
        address = address_get(address_id)
        if address is None:
            raise errors.AddressUnknown(field="address_id")
        latitude, longitude = address.latitude, address.longitude
    else:
        address = None
        if latitude is None or longitude is None:
            raise errors.PlaceIncomplete(field="latitude" if latitude is None else "longitude")
    # GeoJSON order (longitude, latitude); six decimals, about 0.1 m (coordinates, not amounts)
    point = {"type": "Point", "coordinates": [round(float(longitude), 6), round(float(latitude), 6)]}
    check_geometry(point)
    return address, point


def project_place_set(
    *,
    project_id: int,
    actor: Resident,
    address_id: int | None = None,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    image: IO[bytes] | bytes | None = None,
    image_size: int | None = None,
) -> BudgetProject:
    """Set a project's place (an address of the register, or a point on the map) and/or its image,
    while the round collects proposals or is under review (the ballot is made from them after).

    The image goes through the one upload policy (``core.images``): checked before the
    transaction, stored inside it, removed again if the action fails; the image it replaces is
    deleted only once the change is committed."""
    _staff(actor)
    wants_place = address_id is not None or latitude is not None or longitude is not None
    if not wants_place and image is None:
        raise errors.NothingToChange()
    clean = images.clean_image(image, field="image", size=image_size) if image is not None else None
    with images.kept_only_if_committed() as written, transaction.atomic():
        project = BudgetProject.objects.filter(pk=project_id).first()
        if project is None:
            raise errors.ProjectNotFound(project_id=project_id)
        budget_round = _locked(project.round_id)
        if budget_round.phase not in PLACE_PHASES:
            raise errors.PhaseWrong(phase=budget_round.get_phase_display())
        project = BudgetProject.objects.select_for_update().get(pk=project_id)
        fields: list[str] = []
        if wants_place:
            project.address, project.location = place_of(
                address_id=address_id, latitude=latitude, longitude=longitude
            )
            fields += ["address", "location"]
            if project.district_id is None and project.address is not None:
                project.district = project.address.district
                fields.append("district")
        replaced = project.image.name if project.image else ""
        if clean is not None:
            project.image.name = images.store_image(clean, folder=IMAGE_FOLDER, written=written)
            fields.append("image")
        project.save(update_fields=fields)
        if replaced and clean is not None:
            transaction.on_commit(lambda: default_storage.delete(replaced))
        audit_record(
            actor=actor,
            action="budgets.project_place_set",
            target=project,
            after={
                "address_id": project.address_id,
                "location": project.location,
                "image": bool(clean),
            },
        )
    return project


def _project_for_images(project_id: int) -> BudgetProject:
    """Inside the action's transaction: the project, locked, while its round lets images change."""
    project = BudgetProject.objects.filter(pk=project_id).first()
    if project is None:
        raise errors.ProjectNotFound(project_id=project_id)
    budget_round = _locked(project.round_id)
    if budget_round.phase not in PLACE_PHASES:
        raise errors.PhaseWrong(phase=budget_round.get_phase_display())
    return BudgetProject.objects.select_for_update().get(pk=project_id)


def project_image_add(
    *, project_id: int, actor: Resident, image: IO[bytes] | bytes | None, image_size: int | None = None
) -> BudgetProjectImage:
    """Add an image to a project's gallery (at most ``rules.MAX_PROJECT_IMAGES``), while its place
    may change. Checked by the upload policy before the transaction, stored inside it and removed
    again if the action fails, so a refusal leaves neither a row nor a file."""
    _staff(actor)
    if image is None:
        raise errors.ImageRequired(field="image")
    clean = images.clean_image(image, field="image", size=image_size)
    with images.kept_only_if_committed() as written, transaction.atomic():
        project = _project_for_images(project_id)
        count = project.images.count()
        if count >= rules.MAX_PROJECT_IMAGES:
            raise errors.ProjectImagesFull(limit=rules.MAX_PROJECT_IMAGES)
        last = project.images.order_by("-position").values_list("position", flat=True).first()
        added = BudgetProjectImage(project=project, position=(last + 1) if last is not None else 0)
        added.image.name = images.store_image(clean, folder=IMAGE_FOLDER, written=written)
        added.save()
        audit_record(
            actor=actor,
            action="budgets.project_image_add",
            target=project,
            after={"image_id": added.pk, "images": count + 1},
        )
    return added


def project_image_remove(*, project_id: int, image_id: int, actor: Resident) -> None:
    """Remove one image of a project's gallery; its file is deleted once the removal commits."""
    _staff(actor)
    with transaction.atomic():
        project = _project_for_images(project_id)
        found = project.images.filter(pk=image_id).first()
        if found is None:
            raise errors.ProjectImageNotFound(image_id=image_id)
        name = found.image.name
        found.delete()
        transaction.on_commit(lambda: default_storage.delete(name))
        audit_record(
            actor=actor,
            action="budgets.project_image_remove",
            target=project,
            before={"image_id": image_id},
        )


@transaction.atomic
def project_review(*, project_id: int, actor: Resident, feasible: bool, reason: str = "") -> BudgetProject:
    """The experts' conclusion. A rejected project keeps its reason, shown in public."""
    _staff(actor)
    project = BudgetProject.objects.select_related("round").filter(pk=project_id).first()
    if project is None:
        raise errors.ProjectNotFound(project_id=project_id)
    budget_round = _locked(project.round_id)
    if budget_round.phase not in (BudgetPhase.PROPOSALS, BudgetPhase.REVIEW):
        raise errors.PhaseWrong(phase=budget_round.get_phase_display())
    if not feasible and not reason.strip():
        raise errors.ReviewReasonRequired(field="reason")
    before = {"review": project.review}
    project.review = ProjectReview.FEASIBLE if feasible else ProjectReview.REJECTED
    project.review_reason = reason.strip()
    project.reviewed_by = actor
    project.save(update_fields=["review", "review_reason", "reviewed_by"])
    audit_record(
        actor=actor,
        action="budgets.project_review",
        target=project,
        before=before,
        after={"review": project.review},
        reason=reason,
    )
    return project


@transaction.atomic
def round_advance(*, round_id: int, actor: Resident, now: dt.datetime | None = None) -> BudgetRound:
    """Move the round to its next phase; each move is final.

    - review → voting makes and opens the round's poll (or schedules it for ``voting_opens_at``);
    - voting → results closes the poll if still open, publishes its results and funds projects;
    - results → implementation records a decision for each funded project.
    """
    _staff(actor)
    now = now or timezone.now()
    budget_round = _locked(round_id)
    target = rules.next_phase(budget_round.phase)
    rules.check_phase_move(budget_round.phase, target or "")
    assert target is not None
    before = {"phase": budget_round.phase}
    if target == BudgetPhase.VOTING:
        _start_voting(budget_round, actor, now)
    elif target == BudgetPhase.RESULTS:
        _publish_results(budget_round, actor, now)
    elif target == BudgetPhase.IMPLEMENTATION:
        _record_decisions(budget_round, actor)
    budget_round.phase = target
    budget_round.save(update_fields=["phase", "poll", "funding"])
    audit_record(
        actor=actor,
        action="budgets.round_advance",
        target=budget_round,
        before=before,
        after={"phase": target},
    )
    return budget_round


def _feasible(budget_round: BudgetRound) -> list[BudgetProject]:
    return list(budget_round.projects.filter(review=ProjectReview.FEASIBLE).order_by("pk"))


def _start_voting(budget_round: BudgetRound, actor: Resident, now: dt.datetime) -> None:
    rules.check_ready_to_vote(
        reviews=budget_round.projects.values_list("review", flat=True),
        rule=budget_round.rule,
        rule_count=budget_round.rule_count,
    )
    projects = _feasible(budget_round)
    # the poll keeps the round's published window; a move made after the opening time opens it now
    opens_at = budget_round.voting_opens_at
    spec = poll_services.QuestionSpec(
        text=budget_round.title,
        options=[p.title for p in projects],
        kind=QuestionKind.MULTIPLE,
        max_choices=len(projects),
        budget_roubles=budget_round.budget_roubles,
        budget_rule=budget_round.rule,
        budget_rule_count=budget_round.rule_count,
        option_costs_roubles=[p.cost_roubles for p in projects],
    )
    poll = poll_services.poll_create(
        title=budget_round.title,
        description=budget_round.description,
        opens_at=opens_at,
        closes_at=budget_round.voting_closes_at,
        questions=[spec],
        targeting=round_targeting(budget_round),
        actor=actor,
    )
    options = list(Option.objects.filter(question__poll=poll).order_by("position"))
    for project, option in zip(projects, options, strict=True):
        project.option = option
        project.save(update_fields=["option"])
    if opens_at <= now:
        poll_services.poll_open(poll_id=poll.pk, actor=actor, now=now)
    else:
        poll_services.poll_schedule(poll_id=poll.pk, actor=actor)
    budget_round.poll = poll


def _publish_results(budget_round: BudgetRound, actor: Resident, now: dt.datetime) -> None:
    poll = Poll.objects.get(pk=budget_round.poll_id or 0)
    if poll.status in (PollStatus.SCHEDULED, PollStatus.DRAFT):
        raise errors.VotingNotOver()
    if poll.status == PollStatus.OPEN:  # an early close, as the confirmation page says
        poll = poll_services.poll_close(poll_id=poll.pk, actor=actor, now=now)
    if poll.status == PollStatus.CLOSED:
        poll = poll_services.poll_results_publish(poll_id=poll.pk, actor=actor)
    votes = _votes_by_option(poll.results or {})
    projects = _feasible(budget_round)
    lines = rules.fund(
        [rules.Candidate(p.pk, votes.get(p.option_id or 0, 0), p.cost_roubles) for p in projects],
        budget_round.budget_roubles,
    )
    budget_round.funding = {
        "method": "greedy_by_votes",
        "budget_roubles": budget_round.budget_roubles,
        "ballots": (poll.results or {}).get("ballots", 0),
        "lines": [
            {
                "project_id": line.project_id,
                "votes": line.votes,
                "cost_roubles": line.cost_roubles,
                "funded": line.funded,
                "remaining_roubles": line.remaining_roubles,
            }
            for line in lines
        ],
    }


def _votes_by_option(results: dict) -> dict[int, int]:
    return {o["id"]: o["count"] for q in results.get("questions", []) for o in q["options"]}


def _record_decisions(budget_round: BudgetRound, actor: Resident) -> None:
    funded = {line["project_id"] for line in (budget_round.funding or {}).get("lines", []) if line["funded"]}
    promised = rules.promised_by(to_city(budget_round.voting_closes_at).date())
    for project in BudgetProject.objects.filter(pk__in=funded).select_related("district").order_by("pk"):
        decision = decision_services.decision_record(
            title=project.title,
            description=project.description,
            organisation=RESPONSIBLE,
            actor=actor,
            poll=budget_round.poll,
            district=project.district,
            location=project.location,
            planned_on=promised,
        )
        project.decision = decision
        project.save(update_fields=["decision"])
