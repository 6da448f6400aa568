from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gorod.core.errors import Conflict, DomainError, InvalidInput, NotFound, PermissionDenied


class ChallengeNotOpen(DomainError):
    code = "challenge_not_open"
    message = _("This challenge is not open now.")
    status = 409


class NotEligible(PermissionDenied):
    code = "challenge_not_eligible"
    message = _("You cannot join this challenge: %(reason)s")


class AlreadyJoined(Conflict):
    code = "challenge_already_joined"
    message = _("You have already joined this challenge.")


class NotJoined(Conflict):
    code = "challenge_not_joined"
    message = _("This resident has not joined the challenge.")


class UnknownResident(NotFound):
    code = "unknown_resident"
    message = _("No resident or mission code %(who)s.")


class WrongProofMethod(Conflict):  # the challenge's setting, not the input
    code = "wrong_proof_method"
    message = _("Progress in this challenge is proven another way.")


class InvalidEvidence(InvalidInput):
    code = "invalid_evidence"
    message = _("The evidence is not valid: %(reason)s")


class EvidenceConflict(Conflict):
    code = "evidence_conflict"
    message = _("Evidence %(key)s was already recorded with a different quantity.")


class ImportRefused(InvalidInput):
    code = "import_refused"
    message = _("The file was refused; nothing was imported.")


class InvalidChallenge(InvalidInput):
    code = "invalid_challenge"
    message = _("The challenge is not valid: %(reason)s")
