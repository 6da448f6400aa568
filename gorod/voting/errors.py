"""Refusals of the Active Citizen services, each with a stable code."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gorod.accounts.errors import LevelNamedInText
from gorod.core.errors import Conflict, DomainError, InvalidInput, NotFound, NumbersInText, PermissionDenied


class PollNotFound(NotFound):
    code = "poll_not_found"
    message = _("There is no such poll.")


class PollNotOpenYet(Conflict):
    code = "poll_not_open"
    message = _("This poll is not open for voting yet.")


class PollClosed(Conflict):
    code = "poll_closed"
    message = _("This poll is closed.")


class PollNotForYou(PermissionDenied):
    code = "poll_not_for_you"
    message = _("This poll is for residents of other areas or buildings.")


class LevelTooLow(LevelNamedInText, PermissionDenied):
    code = "level_too_low"
    message = _("This poll needs a higher account level (%(required)s).")


class AlreadyVoted(Conflict):
    code = "already_voted"
    message = _("You have already voted in this poll; a ballot is final.")


class EmptyBallot(InvalidInput):
    code = "empty_ballot"
    message = _("The ballot is empty: choose an answer.")


class QuestionUnanswered(Conflict):  # the poll's questions, which the request cannot know
    code = "question_unanswered"
    message = _("Answer every question.")


class OptionNotInPoll(Conflict):  # the poll's options, not the input's form
    code = "option_not_in_poll"
    message = _("An answer is not one of this question's options.")


class TooManyChoices(Conflict):  # the question's own limit, which the request cannot know
    code = "too_many_choices"
    message = _("Too many answers chosen (at most %(maximum)s).")


class DuplicateChoice(InvalidInput):
    code = "duplicate_choice"
    message = _("The same answer or question is given twice.")  # an option twice in one answer


class RoublesInText(NumbersInText):
    """Sums of money in the message as the reader's locale groups them (4 500 000 ₽, 4,500,000 ₽);
    the details keep plain integers for programs."""


class OverBudget(RoublesInText, Conflict):  # the poll's costs and budget decide, not the form
    code = "over_budget"
    message = _("The chosen projects cost %(total)s ₽, more than the budget of %(budget)s ₽.")


class TooFewProjects(Conflict):  # the round's rule decides
    code = "too_few_projects"
    message = _("Choose at least %(minimum)s projects.")


class WrongProjectCount(Conflict):  # the round's rule decides
    code = "wrong_project_count"
    message = _("Choose exactly %(required)s projects.")


class OtherNotAllowed(Conflict):  # whether the question takes a free answer is the poll's
    code = "other_not_allowed"
    message = _("This question has no 'other' answer.")


class OtherTooLong(InvalidInput):
    code = "other_too_long"
    message = _("The 'other' answer is too long (at most %(maximum)s characters).")


class PollNotEditable(Conflict):
    code = "poll_not_editable"
    message = _("The questions of an open or finished poll cannot be changed.")


class PollTransitionInvalid(Conflict):
    code = "poll_transition_invalid"
    message = _("The poll cannot move from %(from_status)s to %(to_status)s.")


class PollIncomplete(InvalidInput):
    code = "poll_incomplete"
    message = _("A poll needs at least one question, and every question at least two options.")


class PollWindowInvalid(InvalidInput):
    code = "poll_window_invalid"
    message = _("The poll must close after it opens.")


class TargetingInvalid(InvalidInput):
    code = "targeting_invalid"
    message = _("The targeting names an unknown okrug, district or level.")


class ResultsNotAvailable(PermissionDenied):
    code = "results_not_available"
    message = _("Results are shown once the poll is closed and its results are published.")


class ResultsAfterVote(ResultsNotAvailable):
    # A subclass, so whoever skips unavailable results (open data) skips these too.
    code = "results_after_vote"
    message = _("Live results appear after you vote or when the poll closes.")


class ReceiptNotFound(NotFound):
    code = "receipt_not_found"
    message = _("No ballot with this receipt code was counted in this poll.")


class DecisionNotFound(NotFound):
    code = "decision_not_found"
    message = _("There is no such decision.")


class DecisionProgressInvalid(InvalidInput):
    code = "decision_progress_invalid"
    message = _("Progress is a whole number of per cent from 0 to 100.")


class DecisionNotInWork(Conflict):
    code = "decision_not_in_work"
    message = _("The progress of a decision that is done or cancelled no longer changes.")


class DecisionProgressUnchanged(Conflict):
    code = "decision_progress_unchanged"
    message = _("The decision is already at this progress.")


class DecisionTransitionInvalid(Conflict):
    code = "decision_transition_invalid"
    message = _("The decision cannot move from %(from_status)s to %(to_status)s.")


class CancelReasonRequired(InvalidInput):
    code = "cancel_reason_required"
    message = _("Give a reason for cancelling the decision.")


class GeometryInvalid(InvalidInput):
    code = "geometry_invalid"
    message = _("The location must be a GeoJSON Point or Polygon inside the city.")


__all__ = ["DomainError"]
