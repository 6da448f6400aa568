"""Refusals of participatory budgeting, each with a stable code."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gorod.core.errors import Conflict, InvalidInput, NotFound
from gorod.voting.errors import RoublesInText


class RoundNotFound(NotFound):
    code = "budget_round_not_found"
    message = _("There is no such budget round.")


class ProjectNotFound(NotFound):
    code = "budget_project_not_found"
    message = _("There is no such project in this budget round.")


class BudgetInvalid(InvalidInput):
    code = "budget_invalid"
    message = _("The budget must be a positive number of roubles.")


class RuleInvalid(InvalidInput):
    code = "budget_rule_invalid"
    message = _("Choose a ballot rule; the 'at least' and 'exactly' rules need a number of projects.")


class WindowInvalid(InvalidInput):
    code = "budget_window_invalid"
    message = _("Voting must close after it opens.")


class CostInvalid(InvalidInput):
    code = "project_cost_invalid"
    message = _("A project's cost must be a positive number of roubles.")


class ProjectOverBudget(RoublesInText, Conflict):  # the round's budget decides
    code = "project_over_budget"
    message = _("The project costs more than the whole budget of %(budget)s ₽.")


class TitleRequired(InvalidInput):
    code = "project_title_required"
    message = _("Give the project a title.")


class PhaseWrong(Conflict):
    code = "budget_phase_wrong"
    message = _("This cannot be done in the round's current phase (%(phase)s).")


class PhaseMoveInvalid(Conflict):
    code = "budget_phase_move_invalid"
    message = _("The round cannot move from %(from_phase)s to %(to_phase)s.")


class ProjectsNotReviewed(Conflict):
    code = "projects_not_reviewed"
    message = _("Every project must be reviewed before voting starts.")


class TooFewFeasible(Conflict):
    code = "too_few_feasible_projects"
    message = _("Voting needs at least %(needed)s feasible projects.")


class ReviewReasonRequired(InvalidInput):
    code = "review_reason_required"
    message = _("Give the experts' reason for rejecting the project.")


class VotingNotOver(Conflict):
    code = "budget_voting_not_started"
    message = _("Voting has not started yet, so there are no results to publish.")


class AddressUnknown(InvalidInput):
    code = "address_unknown"
    message = _("There is no such address in the city's register.")


class PlaceIncomplete(InvalidInput):
    code = "place_incomplete"
    message = _("Give an address from the register, or both the latitude and the longitude of a point.")


class NothingToChange(InvalidInput):
    code = "nothing_to_change"
    message = _("Give a place or an image to set.")


class ProjectImagesFull(Conflict):
    code = "project_images_full"
    message = _("A project has at most %(limit)s images; remove one first.")


class ProjectImageNotFound(NotFound):
    code = "project_image_not_found"
    message = _("There is no such image of this project.")


class ImageRequired(InvalidInput):
    code = "image_required"
    message = _("Choose an image file to add.")
