"""Refusals of quizzes and quests, each with a stable code."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gorod.accounts.errors import LevelNamedInText
from gorod.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied


class QuizNotFound(NotFound):
    code = "quiz_not_found"
    message = _("There is no such quiz.")


class QuizNotOpenYet(Conflict):
    code = "quiz_not_open"
    message = _("This quiz is not open yet.")


class QuizClosed(Conflict):
    code = "quiz_closed"
    message = _("This quiz is closed.")


class QuizNotForYou(PermissionDenied):
    code = "quiz_not_for_you"
    message = _("This quiz is for residents of other areas.")


class QuizLevelTooLow(LevelNamedInText, PermissionDenied):
    code = "level_too_low"
    message = _("This quiz needs a higher account level (%(required)s).")


class QuizAlreadyTaken(Conflict):
    code = "quiz_already_taken"
    message = _("You have already taken this quiz; it can be taken once.")


class QuizNotTaken(NotFound):
    code = "quiz_not_taken"
    message = _("You have not taken this quiz yet.")


class QuizQuestionUnanswered(Conflict):  # the quiz's questions, which the request cannot know
    code = "quiz_question_unanswered"
    message = _("Answer every question.")


class QuizOptionInvalid(Conflict):  # the quiz's options, not the input's form
    code = "quiz_option_invalid"
    message = _("An answer is not one of this question's options.")


class QuizIncomplete(InvalidInput):
    code = "quiz_incomplete"
    message = _(
        "A quiz needs at least one question; every question needs at least two options and a correct one."
    )


class QuizWindowInvalid(InvalidInput):
    code = "quiz_window_invalid"
    message = _("The quiz must close after it opens.")


class QuizNotEditable(Conflict):
    code = "quiz_not_editable"
    message = _("A published quiz cannot be published again or changed.")
