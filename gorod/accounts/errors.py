from django.utils.translation import gettext_lazy as _

from gorod.core.errors import Conflict, DomainError, InvalidInput


class LoginTaken(Conflict):
    code = "login_taken"
    message = _("An account with this e-mail, phone or login already exists.")


class InvalidPhone(InvalidInput):
    code = "invalid_phone"
    message = _("Enter the phone number as +7 followed by 10 digits.")


class SameLevel(DomainError):
    code = "same_level"
    message = _("The resident already has this account level.")


class TokenNameTaken(Conflict):
    code = "token_name_taken"
    message = _("You already have a token with this name.")


class ConsentRequired(InvalidInput):
    code = "consent_required"
    message = _("An account needs your consent to the processing of your personal data.")
