from __future__ import annotations

from gorod.accounts.models import Resident
from gorod.privacy.errors import AlreadyErased, ConfirmationMissing, WrongPassword

CONFIRM_WORDS = {"DELETE", "УДАЛИТЬ"}


def check_erase_confirmation(*, resident: Resident, password: str, confirm: str) -> None:
    """Deleting an account is final: the resident proves who they are and says so in words."""
    if resident.erased_at is not None:
        raise AlreadyErased()
    if confirm.strip().upper() not in CONFIRM_WORDS:
        raise ConfirmationMissing(field="confirm")
    if not resident.check_password(password):
        raise WrongPassword(field="password")


def pseudonym(resident_id: int) -> str:
    return f"erased-{resident_id}"
