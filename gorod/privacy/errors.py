from django.utils.translation import gettext_lazy as _

from gorod.core.errors import DomainError


class AlreadyErased(DomainError):
    code = "already_erased"
    message = _("This account has already been deleted.")
    status = 409


class WrongPassword(DomainError):
    code = "wrong_password"
    message = _("The password is not correct.")
    status = 403


class ConfirmationMissing(DomainError):
    code = "confirmation_missing"
    message = _("Type DELETE to confirm that you want your account deleted.")
    status = 422
