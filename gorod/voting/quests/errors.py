"""Quest refusals, each with a stable code."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gorod.core.errors import Conflict, InvalidInput, NotFound


class QuestNotFound(NotFound):
    code = "quest_not_found"
    message = _("There is no such quest.")


class QuestTaskNotFound(NotFound):
    code = "quest_task_not_found"
    message = _("This quest has no such task.")


class QuestTaskOutOfOrder(Conflict):
    code = "quest_task_out_of_order"
    message = _("Do the quest's tasks in order: finish the earlier ones first.")


class QuestTaskAlreadyDone(Conflict):
    code = "quest_task_already_done"
    message = _("You have already done this task.")


class QuestTaskNotDone(Conflict):
    code = "quest_task_not_done"
    message = _("This task is not done yet: %(what)s")


class QuestCodeWrong(InvalidInput):
    code = "quest_code_wrong"
    message = _("That is not the code shown on the page.")


class QuestInvalid(InvalidInput):
    code = "quest_invalid"
    message = _("A quest needs at least one task, and each task its poll, quiz or code.")
