from django.utils.translation import gettext_lazy as _

from gorod.accounts.models import AccountLevel
from gorod.core.errors import Conflict, DomainError, InvalidInput, NotFound, PermissionDenied


class LevelNamedInText(DomainError):
    """A refusal that names the account level it needs (``required``): the level's name in the
    reader's language («стандартная»), never its code; the details keep the code for programs."""

    @property
    def text(self) -> str:
        template = self._message if self._message is not None else self.message
        required = self.details.get("required")
        shown = {**self.details}
        if required in AccountLevel.values:
            shown["required"] = AccountLevel(required).label
        try:
            return str(template) % shown
        except (KeyError, ValueError, TypeError):
            return str(template)


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


class LevelConfirmedByProvider(PermissionDenied):
    code = "level_confirmed_by_provider"
    message = _("This resident's level is confirmed by their identity provider; it cannot be raised by hand.")


class IdentityLinkedElsewhere(Conflict):
    code = "identity_linked_elsewhere"
    message = _("This account at the identity provider is already linked to another gorod account.")


class ProviderAlreadyLinked(Conflict):
    code = "provider_already_linked"
    message = _("Your gorod account is already linked to another account at this identity provider.")


class IdentityEmailTaken(Conflict):
    code = "identity_email_taken"
    message = _(
        "An account with this e-mail already exists. Sign in with your password, then connect the "
        "identity provider from your profile."
    )


class IdentitySignInFailed(DomainError):
    code = "identity_sign_in_failed"
    message = _("Signing in with the identity provider did not succeed. Please try again.")


class WrongSecondFactorCode(InvalidInput):
    code = "wrong_second_factor_code"
    message = _("This code is not right, or was already used. Try the code your app shows now.")


class ConsentRequired(InvalidInput):
    code = "consent_required"
    message = _("An account needs your consent to the processing of your personal data.")


class UnknownDistrict(Conflict):  # the city's districts decide, not the request's shape
    code = "unknown_district"
    message = _("There is no such district in the city.")


class LevelNotHigher(Conflict):  # the resident's current level decides, not the request's shape
    code = "level_not_higher"
    message = _("Ask for a level higher than your current one.")


class DocumentNumberInvalid(InvalidInput):
    code = "document_number_invalid"
    message = _("A passport number is 10 digits: the series (4) and the number (6).")


class LevelRequestPending(Conflict):
    code = "level_request_pending"
    message = _("You already have a request waiting for a check.")


class LevelRequestDecided(Conflict):
    code = "level_request_decided"
    message = _("This request has already been decided.")


class RejectReasonRequired(InvalidInput):
    code = "reject_reason_required"
    message = _("Say why the request is rejected; the resident sees the reason.")


class DocumentNotChecked(InvalidInput):
    code = "document_not_checked"
    message = _("Approve only after comparing the original document.")


class LevelRequestNotFound(NotFound):
    code = "level_request_not_found"
    message = _("There is no such level request.")


class OwnLevelRequest(PermissionDenied):
    code = "own_level_request"
    message = _("Nobody checks their own request.")


class AddressNotChosen(InvalidInput):
    code = "address_not_chosen"
    message = _("Choose the address from the suggestions or mark the place on the map.")
