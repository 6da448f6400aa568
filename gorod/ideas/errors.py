from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gorod.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied


class WrongStage(Conflict):
    code = "idea_wrong_stage"
    message = _("The project is not at the stage for this.")


class AlreadySupported(Conflict):
    code = "idea_already_supported"
    message = _("You already support this idea.")


class OwnIdea(Conflict):  # whose idea it is, not the input
    code = "idea_own_support"
    message = _("You cannot support your own idea.")


class IdeaNotOpen(Conflict):
    code = "idea_not_open"
    message = _("This idea is not open for this.")


class EmptyText(InvalidInput):
    code = "idea_empty_text"
    message = _("Please write a few words.")


class NotExpert(PermissionDenied):
    code = "idea_not_expert"
    message = _("Only the project's experts (operators and moderators) may do this.")


class BadMerge(InvalidInput):
    code = "idea_bad_merge"
    message = _("An idea can be merged only into another open or accepted idea of the same project.")


class NotInDistrict(PermissionDenied):
    code = "idea_not_for_your_district"
    message = _("This project is for residents of its districts.")


class IdeaNotFound(NotFound):
    code = "idea_not_found"
    message = _("There is no such idea.")


class IdeaNotAccepted(Conflict):
    code = "idea_not_accepted"
    message = _("Only an idea the experts accepted can become a budget project.")


class IdeaAlreadyInBudget(Conflict):
    code = "idea_already_in_budget"
    message = _("This idea is already a project of a budget round.")
