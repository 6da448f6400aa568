"""Who is writing, before the view runs: the resident behind a bearer token or the session.
Used by the rate limits and the Idempotency-Key store, which both sit in front of the API."""

from __future__ import annotations

from django.http import HttpRequest

from gorod.accounts.models import ApiToken
from gorod.accounts.services import token_digest


def resident_id_of(request: HttpRequest) -> int | None:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        resident_id = (
            ApiToken.objects.filter(digest=token_digest(header[7:].strip()), revoked_at__isnull=True)
            .values_list("resident_id", flat=True)
            .first()
        )
        return resident_id
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return int(user.pk)
    return None


def account_key(request: HttpRequest) -> str:
    resident_id = resident_id_of(request)
    return f"resident:{resident_id}" if resident_id is not None else ""
