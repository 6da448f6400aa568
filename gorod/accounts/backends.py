from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from gorod.accounts import selectors, sql
from gorod.accounts.models import Resident


class EmailOrPhoneBackend(ModelBackend):
    """Sign in with a login, an e-mail or a phone number and the password."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Resident | None:
        if not username or not password:
            return None
        candidate = selectors.resident_by_login(username)
        if candidate is None:
            Resident().set_password(password)  # same work as a real check: no timing oracle
            return None
        if candidate.check_password(password) and self.user_can_authenticate(candidate):
            return candidate
        return None

    def get_user(self, user_id: Any) -> Resident | None:
        """The signed-in resident of a session, with their home district: pages that show or
        use it (the home page's news, the profile) then need no query of their own for it."""
        resident = sql.resident_with_district(user_id)
        return resident if resident is not None and self.user_can_authenticate(resident) else None
