from django.utils.translation import gettext_lazy as _

from gorod.core.errors import Conflict, DomainError, InvalidInput, NotFound, NumbersInText


class InsufficientPoints(NumbersInText):
    code = "insufficient_points"
    message = _("Not enough points: %(available)s available, %(required)s needed.")
    status = 409


class NonPositiveAmount(InvalidInput):
    code = "amount_not_positive"
    message = _("The amount must be a whole number of points greater than zero.")


class SourceKeyConflict(Conflict):
    code = "source_key_conflict"
    message = _("This event was already recorded with a different amount.")


class UnknownEarningRule(NotFound):
    code = "unknown_earning_rule"
    message = _("There is no earning rule for this action.")


class BudgetExhausted(DomainError):
    code = "budget_exhausted"
    message = _("The programme's points budget is used up.")
    status = 409


class HoldNotActive(Conflict):
    code = "hold_not_active"
    message = _("These points are no longer held: the order was already completed, cancelled or expired.")


class AlreadyReversed(Conflict):
    code = "already_reversed"
    message = _("This movement was already reversed in full.")
